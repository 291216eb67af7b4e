/* Embedded default data and styles (file paths come from CMakeLists.txt).
   The bytes are linked in as read-only data; a NUL follows each so text can
   be used as is. */
#define SAHELMAP_EMBED(sym, file) \
    .section .rodata;             \
    .balign 16;                   \
    .global sym##_start;          \
sym##_start:                      \
    .incbin file;                 \
    .global sym##_end;            \
sym##_end:                        \
    .byte 0

SAHELMAP_EMBED(sahelmap_geodata, EMBED_GEODATA)
SAHELMAP_EMBED(sahelmap_style_default, EMBED_STYLE_DEFAULT)
SAHELMAP_EMBED(sahelmap_style_overlay, EMBED_STYLE_OVERLAY)
SAHELMAP_EMBED(sahelmap_style_print, EMBED_STYLE_PRINT)
SAHELMAP_EMBED(sahelmap_style_influence, EMBED_STYLE_INFLUENCE)
SAHELMAP_EMBED(sahelmap_style_change, EMBED_STYLE_CHANGE)

.section .note.GNU-stack,"",@progbits
