/* The shipped influence parameters (config/influence.json), linked in as
   read-only data like the default styles (src/source/embedded.S); the file
   path comes from src/influence/sources.cmake. A NUL follows the text. */
    .section .rodata
    .balign 16
    .global sahelmap_influence_params_start
sahelmap_influence_params_start:
    .incbin EMBED_INFLUENCE
    .global sahelmap_influence_params_end
sahelmap_influence_params_end:
    .byte 0

.section .note.GNU-stack,"",@progbits
