#include "sahelmap/encode/png.hpp"

#include "sahelmap/core/error.hpp"

#include <isa-l/igzip_lib.h>
#include <spng.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

namespace sahelmap::encode {

namespace {

struct CtxDeleter {
    void operator()(spng_ctx* c) const noexcept { spng_ctx_free(c); }
};
using CtxPtr = std::unique_ptr<spng_ctx, CtxDeleter>;

void check(int rc, char const* step)
{
    if (rc != 0) throw RenderError(std::string("PNG ") + step + " failed: " + spng_strerror(rc));
}

/// Straight-alpha RGBA from one premultiplied ARGB32 pixel.
inline std::array<std::uint8_t, 4> unpremultiply(std::uint32_t px)
{
    std::uint32_t const a = px >> 24;
    std::uint32_t r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
    if (a != 0 && a != 255) {
        r = (r * 255 + a / 2) / a;
        g = (g * 255 + a / 2) / a;
        b = (b * 255 + a / 2) / a;
    }
    return {static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g), static_cast<std::uint8_t>(b),
            static_cast<std::uint8_t>(a)};
}

/// Open-addressing table of up to 256 colours; gives up beyond.
class Palette {
public:
    /// Index of the colour, adding it; -1 when the palette is full.
    int index_of(std::uint32_t px)
    {
        std::uint32_t h = (px * 2654435761u) >> 23; // 9 bits: 512 slots for 256 colours
        while (true) {
            auto& slot = m_slots[h];
            if (slot.used && slot.color == px) return slot.index;
            if (!slot.used) {
                if (m_count == 256) return -1;
                slot = {px, static_cast<std::uint16_t>(m_count), true};
                m_colors[m_count] = px;
                return m_count++;
            }
            h = (h + 1) & 511;
        }
    }
    int size() const noexcept { return m_count; }
    std::uint32_t color(int i) const noexcept { return m_colors[static_cast<std::size_t>(i)]; }

private:
    struct Slot {
        std::uint32_t color = 0;
        std::uint16_t index = 0;
        bool used = false;
    };
    std::array<Slot, 512> m_slots{};
    std::array<std::uint32_t, 256> m_colors{};
    int m_count = 0;
};

/// The zlib stream of `data`, compressed by ISA-L's igzip in one call (its
/// level 1 is about four times as fast as libdeflate's fastest on a map and
/// within a few per cent of its size; ten times as fast on a flat tile).
std::string zlib_compress(std::vector<std::uint8_t> const& data, int level)
{
    level = std::clamp(level, 0, 3);
    static constexpr std::size_t kLevelBuffer[] = {0, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT,
                                                   ISAL_DEF_LVL3_DEFAULT};
    thread_local std::vector<std::uint8_t> level_buffer;
    level_buffer.resize(std::max(level_buffer.size(), kLevelBuffer[level]));
    // Enough for stored blocks (5 bytes per 64 KiB) and headers; doubled if
    // a pathological input still overflows. Left uninitialised: a map
    // compresses to a few per cent of this, and pages never written stay
    // out of memory (zero-filling them cost a 300 dpi A2 print 100 MB).
    std::size_t capacity = data.size() + data.size() / 64 + 1024;
    std::unique_ptr<std::uint8_t[]> out(new std::uint8_t[capacity]);
    while (true) {
        isal_zstream stream;
        isal_deflate_stateless_init(&stream);
        stream.level = static_cast<std::uint32_t>(level);
        stream.level_buf = level > 0 ? level_buffer.data() : nullptr;
        stream.level_buf_size = level > 0 ? static_cast<std::uint32_t>(kLevelBuffer[level]) : 0;
        stream.gzip_flag = IGZIP_ZLIB;
        stream.end_of_stream = 1;
        stream.flush = NO_FLUSH;
        stream.next_in = const_cast<std::uint8_t*>(data.data());
        stream.avail_in = static_cast<std::uint32_t>(data.size());
        stream.next_out = out.get();
        stream.avail_out = static_cast<std::uint32_t>(capacity);
        int const rc = isal_deflate_stateless(&stream);
        if (rc == COMP_OK) return std::string(reinterpret_cast<char const*>(out.get()), stream.total_out);
        if (rc != STATELESS_OVERFLOW)
            throw RenderError("PNG compression failed (igzip error " + std::to_string(rc) + ")");
        capacity *= 2;
        out.reset(new std::uint8_t[capacity]);
    }
}

/// Truecolour scanlines larger than this are filtered and compressed in
/// bands, never all at once: a 300 dpi A2 print's would be 100 MB beside
/// its pixels. Smaller images (every tile) compress in one call, fastest.
constexpr std::size_t kBandedFrom = std::size_t{16} << 20;
/// Bytes of scanlines filled and compressed at a time.
constexpr std::size_t kBandBytes = std::size_t{1} << 20;

/// One zlib stream of `rows` scanlines of `row_bytes` each, which
/// `fill(first, count, out)` writes band by band into `out`.
template <class Fill> std::string zlib_compress_banded(std::size_t rows, std::size_t row_bytes, int level, Fill fill)
{
    level = std::clamp(level, 0, 3);
    static constexpr std::size_t kLevelBuffer[] = {0, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT,
                                                   ISAL_DEF_LVL3_DEFAULT};
    std::vector<std::uint8_t> level_buffer(kLevelBuffer[level]);
    std::size_t const band_rows = std::max<std::size_t>(1, kBandBytes / row_bytes);
    std::vector<std::uint8_t> band(band_rows * row_bytes);
    std::vector<std::uint8_t> chunk(std::size_t{256} << 10);
    isal_zstream stream;
    isal_deflate_init(&stream);
    stream.level = static_cast<std::uint32_t>(level);
    stream.level_buf = level > 0 ? level_buffer.data() : nullptr;
    stream.level_buf_size = static_cast<std::uint32_t>(level_buffer.size());
    stream.gzip_flag = IGZIP_ZLIB;
    stream.flush = NO_FLUSH;
    std::string out;
    for (std::size_t first = 0; first < rows; first += band_rows) {
        std::size_t const count = std::min(band_rows, rows - first);
        fill(first, count, band.data());
        stream.next_in = band.data();
        stream.avail_in = static_cast<std::uint32_t>(count * row_bytes);
        stream.end_of_stream = first + count == rows ? 1 : 0;
        do {
            stream.next_out = chunk.data();
            stream.avail_out = static_cast<std::uint32_t>(chunk.size());
            if (int const rc = isal_deflate(&stream); rc != COMP_OK)
                throw RenderError("PNG compression failed (igzip error " + std::to_string(rc) + ")");
            out.append(reinterpret_cast<char const*>(chunk.data()), chunk.size() - stream.avail_out);
        } while (stream.avail_in > 0 || (stream.end_of_stream && stream.internal_state.state != ZSTATE_END));
    }
    return out;
}

void put_u32(std::string& out, std::uint32_t v)
{
    char const b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
    out.append(b, 4);
}

/// Appends one chunk: length, type, data, CRC of type and data.
void put_chunk(std::string& out, char const (&type)[5], std::string_view data)
{
    put_u32(out, static_cast<std::uint32_t>(data.size()));
    std::size_t const crc_from = out.size();
    out.append(type, 4);
    out.append(data);
    put_u32(out, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<Bytef const*>(out.data() + crc_from),
                                                  static_cast<uInt>(out.size() - crc_from))));
}

enum ColorType : std::uint8_t { indexed_color = 3, truecolor = 2, truecolor_alpha = 6 };

/// The PNG file around `idat`, the zlib stream of the filtered scanlines
/// (each row led by its filter byte), in one IDAT chunk.
std::string write_png(std::size_t width, std::size_t height, ColorType type, std::string_view palette,
                      std::string_view alphas, std::string const& idat)
{
    std::string ihdr;
    put_u32(ihdr, static_cast<std::uint32_t>(width));
    put_u32(ihdr, static_cast<std::uint32_t>(height));
    // Bit depth 8, the colour type, then deflate, adaptive filtering, no interlace.
    ihdr += {8, static_cast<char>(type), 0, 0, 0};

    std::string png;
    png.reserve(idat.size() + palette.size() + alphas.size() + 128);
    png.append("\x89PNG\r\n\x1a\n", 8);
    put_chunk(png, "IHDR", ihdr);
    if (!palette.empty()) put_chunk(png, "PLTE", palette);
    if (!alphas.empty()) put_chunk(png, "tRNS", alphas);
    put_chunk(png, "IDAT", idat);
    put_chunk(png, "IEND", {});
    return png;
}

} // namespace

std::string encode_png(Image const& image, PngOptions const& options)
{
    auto const w = static_cast<std::size_t>(image.width);
    auto const h = static_cast<std::size_t>(image.height);
    if (w == 0 || h == 0) throw RenderError("cannot encode an empty image as PNG");
    auto row_of = [&](std::size_t y) {
        return reinterpret_cast<std::uint32_t const*>(image.pixels.data() + y * static_cast<std::size_t>(image.stride));
    };

    // First pass: can a palette hold it, and is it opaque? Rows are written
    // as palette indices, each after its filter byte (0: none; flat map
    // colours compress best unfiltered, and fastest).
    Palette palette;
    std::vector<std::uint8_t> scanlines(h * (w + 1));
    bool fits_palette = true;
    bool opaque = true;
    for (std::size_t y = 0; y < h; ++y) {
        auto const* row = row_of(y);
        auto* out = scanlines.data() + y * (w + 1);
        *out++ = 0;
        std::uint32_t last = 0;
        int last_index = -1;
        for (std::size_t x = 0; x < w; ++x) {
            std::uint32_t const px = row[x];
            opaque = opaque && (px >> 24) == 255;
            if (!fits_palette) continue;
            if (px != last || last_index < 0) {
                last = px;
                last_index = palette.index_of(px);
                if (last_index < 0) {
                    fits_palette = false;
                    continue;
                }
            }
            out[x] = static_cast<std::uint8_t>(last_index);
        }
        if (!fits_palette && !opaque) break;
    }

    if (fits_palette) {
        std::string plte, trns;
        for (int i = 0; i < palette.size(); ++i) {
            auto const c = unpremultiply(palette.color(i));
            plte.append(reinterpret_cast<char const*>(c.data()), 3);
            trns += static_cast<char>(c[3]);
        }
        // tRNS may stop after the last entry that is not opaque.
        auto const last_alpha = trns.find_last_not_of('\xff');
        trns.resize(last_alpha == std::string::npos ? 0 : last_alpha + 1);
        return write_png(w, h, indexed_color, plte, trns, zlib_compress(scanlines, options.compression_level));
    }

    std::size_t const channels = opaque ? 3 : 4;
    std::size_t const row_bytes = 1 + w * channels;
    // Writes rows first .. first + count - 1 as truecolour scanlines at `to`.
    auto const fill = [&](std::size_t first, std::size_t count, std::uint8_t* to) {
        for (std::size_t y = first; y < first + count; ++y) {
            auto const* row = row_of(y);
            auto* out = to + (y - first) * row_bytes;
            *out++ = 0;
            if (opaque) {
                // Opaque pixels need no unpremultiplying.
                for (std::size_t x = 0; x < w; ++x, out += 3) {
                    std::uint32_t const px = row[x];
                    out[0] = static_cast<std::uint8_t>(px >> 16);
                    out[1] = static_cast<std::uint8_t>(px >> 8);
                    out[2] = static_cast<std::uint8_t>(px);
                }
            } else {
                for (std::size_t x = 0; x < w; ++x, out += 4) std::memcpy(out, unpremultiply(row[x]).data(), 4);
            }
        }
    };
    auto const type = opaque ? truecolor : truecolor_alpha;
    if (h * row_bytes > kBandedFrom) {
        scanlines = {}; // the palette pass's indices go before the bands come
        return write_png(w, h, type, {}, {}, zlib_compress_banded(h, row_bytes, options.compression_level, fill));
    }
    scanlines.resize(h * row_bytes);
    fill(0, h, scanlines.data());
    return write_png(w, h, type, {}, {}, zlib_compress(scanlines, options.compression_level));
}

Image decode_png(std::string const& bytes)
{
    CtxPtr ctx(spng_ctx_new(0));
    if (!ctx) throw RenderError("PNG decoder could not be created");
    check(spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()), "reading");
    spng_ihdr ihdr{};
    check(spng_get_ihdr(ctx.get(), &ihdr), "header");
    std::size_t size = 0;
    check(spng_decoded_image_size(ctx.get(), SPNG_FMT_RGBA8, &size), "size");
    std::vector<std::uint8_t> rgba(size);
    check(spng_decode_image(ctx.get(), rgba.data(), size, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS), "decoding");
    Image img;
    img.width = static_cast<int>(ihdr.width);
    img.height = static_cast<int>(ihdr.height);
    img.stride = img.width * 4;
    img.pixels.resize(static_cast<std::size_t>(img.stride) * ihdr.height);
    for (std::size_t i = 0; i < static_cast<std::size_t>(img.width) * ihdr.height; ++i) {
        std::uint32_t const r = rgba[i * 4], g = rgba[i * 4 + 1], b = rgba[i * 4 + 2], a = rgba[i * 4 + 3];
        auto pm = [a](std::uint32_t c) { return (c * a + 127) / 255; };
        std::uint32_t const px = (a << 24) | (pm(r) << 16) | (pm(g) << 8) | pm(b);
        std::memcpy(img.pixels.data() + i * 4, &px, 4);
    }
    return img;
}

} // namespace sahelmap::encode
