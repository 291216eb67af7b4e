#include "sahelmap/encode/jpeg.hpp"

#include "sahelmap/core/error.hpp"

#include <algorithm>
#include <bit>
#include <csetjmp>
#include <cstdio> // jpeglib.h needs FILE
#include <cstdlib>
#include <vector>

#include <jpeglib.h>

namespace sahelmap::encode {

namespace {

/// libjpeg reports errors by calling error_exit, which must not return: it
/// jumps back to the setjmp in compress(), which holds no C++ objects.
struct ErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo)
{
    auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
    err->base.format_message(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

/// Rows handed to libjpeg: the image's own rows (BGRX, as ARGB32 lies in
/// memory on little-endian machines) when it is opaque, else rows
/// composited over the background into `scratch`.
struct Rows {
    std::vector<JSAMPROW> pointers;
    std::vector<std::uint8_t> scratch;
};

Rows rows_of(Image const& image, std::uint32_t background)
{
    auto const w = static_cast<std::size_t>(image.width);
    auto const h = static_cast<std::size_t>(image.height);
    Rows rows;
    rows.pointers.resize(h);
    bool opaque = true;
    for (std::size_t y = 0; y < h && opaque; ++y) {
        auto const* px =
            reinterpret_cast<std::uint32_t const*>(image.pixels.data() + y * static_cast<std::size_t>(image.stride));
        opaque = std::all_of(px, px + w, [](std::uint32_t p) { return (p >> 24) == 255; });
    }
    if (opaque) {
        for (std::size_t y = 0; y < h; ++y)
            rows.pointers[y] = const_cast<JSAMPROW>(image.pixels.data() + y * static_cast<std::size_t>(image.stride));
        return rows;
    }
    std::uint32_t const bg[3] = {background & 0xFF, (background >> 8) & 0xFF, (background >> 16) & 0xFF}; // B, G, R
    rows.scratch.resize(w * h * 4);
    for (std::size_t y = 0; y < h; ++y) {
        auto const* px =
            reinterpret_cast<std::uint32_t const*>(image.pixels.data() + y * static_cast<std::size_t>(image.stride));
        auto* out = rows.scratch.data() + y * w * 4;
        for (std::size_t x = 0; x < w; ++x, out += 4) {
            std::uint32_t const p = px[x];
            std::uint32_t const a = p >> 24;
            // Premultiplied colour over the background: c + (1 - a) · bg.
            for (int c = 0; c < 3; ++c) {
                std::uint32_t const v = (p >> (8 * c)) & 0xFF;
                out[c] = static_cast<std::uint8_t>(std::min<std::uint32_t>(255, v + ((255 - a) * bg[c] + 127) / 255));
            }
            out[3] = 255;
        }
        rows.pointers[y] = rows.scratch.data() + y * w * 4;
    }
    return rows;
}

/// Compresses the rows; false with `err.message` set when libjpeg failed.
bool compress(Rows const& rows, int width, int height, int quality, unsigned char** buffer, unsigned long* size,
              ErrorManager& err)
{
    jpeg_compress_struct cinfo;
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_error;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        return false;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, buffer, size);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = 4;
    cinfo.in_color_space = JCS_EXT_BGRX;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height)
        jpeg_write_scanlines(&cinfo, const_cast<JSAMPARRAY>(rows.pointers.data() + cinfo.next_scanline),
                             cinfo.image_height - cinfo.next_scanline);
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return true;
}

} // namespace

std::string encode_jpeg(Image const& image, JpegOptions const& options)
{
    static_assert(std::endian::native == std::endian::little, "ARGB32 is read as BGRX bytes");
    if (image.width <= 0 || image.height <= 0) throw RenderError("cannot encode an empty image as JPEG");
    auto const rows = rows_of(image, options.background);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    ErrorManager err{};
    bool const ok = compress(rows, image.width, image.height, std::clamp(options.quality, 1, 100), &buffer, &size, err);
    std::string out;
    if (ok) out.assign(reinterpret_cast<char const*>(buffer), size);
    std::free(buffer);
    if (!ok) throw RenderError(std::string("JPEG encoding failed: ") + err.message);
    return out;
}

} // namespace sahelmap::encode
