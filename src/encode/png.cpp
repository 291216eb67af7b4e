#include "sahelmap/encode/png.hpp"

#include "sahelmap/core/error.hpp"

#include <spng.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>

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

std::string finish(spng_ctx* ctx)
{
    std::size_t len = 0;
    int err = 0;
    void* buf = spng_get_png_buffer(ctx, &len, &err);
    check(err, "buffer");
    std::string out(static_cast<char const*>(buf), len);
    std::free(buf);
    return out;
}

} // namespace

std::string encode_png(Image const& image, PngOptions const& options)
{
    auto const w = static_cast<std::size_t>(image.width);
    auto const h = static_cast<std::size_t>(image.height);

    // First pass: can a palette hold it, and is it opaque?
    Palette palette;
    std::vector<std::uint8_t> indexed(w * h);
    bool fits_palette = true;
    bool opaque = true;
    for (std::size_t y = 0; y < h; ++y) {
        auto const* row = reinterpret_cast<std::uint32_t const*>(image.pixels.data() + y * static_cast<std::size_t>(image.stride));
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
            indexed[y * w + x] = static_cast<std::uint8_t>(last_index);
        }
        if (!fits_palette && !opaque) break;
    }

    CtxPtr ctx(spng_ctx_new(SPNG_CTX_ENCODER));
    if (!ctx) throw RenderError("PNG encoder could not be created");
    spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1);
    spng_set_option(ctx.get(), SPNG_IMG_COMPRESSION_LEVEL, options.compression_level);

    spng_ihdr ihdr{};
    ihdr.width = static_cast<std::uint32_t>(w);
    ihdr.height = static_cast<std::uint32_t>(h);
    ihdr.bit_depth = 8;

    if (fits_palette) {
        ihdr.color_type = SPNG_COLOR_TYPE_INDEXED;
        spng_plte plte{};
        spng_trns trns{};
        plte.n_entries = static_cast<std::uint32_t>(palette.size());
        bool any_alpha = false;
        for (int i = 0; i < palette.size(); ++i) {
            auto c = unpremultiply(palette.color(i));
            plte.entries[i] = {c[0], c[1], c[2], 255};
            trns.type3_alpha[i] = c[3];
            any_alpha = any_alpha || c[3] != 255;
        }
        trns.n_type3_entries = plte.n_entries;
        // Palette images compress best unfiltered.
        spng_set_option(ctx.get(), SPNG_FILTER_CHOICE, SPNG_FILTER_CHOICE_NONE);
        check(spng_set_ihdr(ctx.get(), &ihdr), "header");
        check(spng_set_plte(ctx.get(), &plte), "palette");
        if (any_alpha) check(spng_set_trns(ctx.get(), &trns), "transparency");
        check(spng_encode_image(ctx.get(), indexed.data(), indexed.size(), SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE), "encoding");
        return finish(ctx.get());
    }

    std::size_t const channels = opaque ? 3 : 4;
    ihdr.color_type = opaque ? SPNG_COLOR_TYPE_TRUECOLOR : SPNG_COLOR_TYPE_TRUECOLOR_ALPHA;
    std::vector<std::uint8_t> rgba(w * h * channels);
    for (std::size_t y = 0; y < h; ++y) {
        auto const* row = reinterpret_cast<std::uint32_t const*>(image.pixels.data() + y * static_cast<std::size_t>(image.stride));
        auto* out = rgba.data() + y * w * channels;
        for (std::size_t x = 0; x < w; ++x) {
            auto c = unpremultiply(row[x]);
            std::memcpy(out + x * channels, c.data(), channels);
        }
    }
    // Map tiles are mostly flat colour: unfiltered rows come out both smaller
    // and faster than SUB/UP/PAETH here (measured on the default style).
    spng_set_option(ctx.get(), SPNG_FILTER_CHOICE, SPNG_FILTER_CHOICE_NONE);
    check(spng_set_ihdr(ctx.get(), &ihdr), "header");
    check(spng_encode_image(ctx.get(), rgba.data(), rgba.size(), SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE), "encoding");
    return finish(ctx.get());
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
