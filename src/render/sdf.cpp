// Signed distance fields for MapLibre GL: glyph ranges from the installed
// fonts (FreeType through fontconfig) and a sprite of our icon shapes
// (drawn by the renderer's own icon paths). Both use the encoding MapLibre's
// shaders expect: 255 − 255·(d / 8 + 0.25), d the signed distance in pixels
// (negative inside), so the outline sits at 191.
#include "sahelmap/render/sdf.hpp"

#include "draw.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/render/cairo_ptr.hpp"
#include "sahelmap/render/icons.hpp"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace sahelmap::render {

namespace {

constexpr int kGlyphPx = 24;     ///< the size every glyph PBF is made at
constexpr int kGlyphBorder = 3;  ///< SDF border around each glyph bitmap
constexpr double kRadius = 8;    ///< distance that spans the SDF's range
constexpr double kCutoff = 0.25; ///< share of the range outside the outline
constexpr double kFar = 1e20;

/// Squared distance transform along one line (Felzenszwalb and Huttenlocher):
/// f holds 0 at sources and kFar elsewhere, or a partial squared distance.
void transform_line(std::vector<double>& f, std::vector<double>& d, std::vector<int>& v, std::vector<double>& z)
{
    auto const n = f.size();
    auto parabola_meet = [&f](std::size_t q, std::size_t p) {
        double const dq = static_cast<double>(q), dp = static_cast<double>(p);
        return ((f[q] + dq * dq) - (f[p] + dp * dp)) / (2 * dq - 2 * dp);
    };
    std::size_t k = 0;
    v[0] = 0;
    z[0] = -kFar;
    z[1] = kFar;
    for (std::size_t q = 1; q < n; ++q) {
        double s = parabola_meet(q, static_cast<std::size_t>(v[k]));
        while (s <= z[k]) { // z[0] is −∞: stops at k = 0
            --k;
            s = parabola_meet(q, static_cast<std::size_t>(v[k]));
        }
        ++k;
        v[k] = static_cast<int>(q);
        z[k] = s;
        z[k + 1] = kFar;
    }
    k = 0;
    for (std::size_t q = 0; q < n; ++q) {
        while (z[k + 1] < static_cast<double>(q)) ++k;
        auto const p = static_cast<std::size_t>(v[k]);
        double const dist = static_cast<double>(q) - static_cast<double>(p);
        d[q] = dist * dist + f[p];
    }
}

/// Squared distances to the nearest source over a w × h grid, in place.
void transform_grid(std::vector<double>& grid, int w, int h)
{
    int const n = std::max(w, h);
    std::vector<double> f, d(static_cast<std::size_t>(n));
    std::vector<int> v(static_cast<std::size_t>(n));
    std::vector<double> z(static_cast<std::size_t>(n) + 1);
    for (int x = 0; x < w; ++x) {
        f.resize(static_cast<std::size_t>(h));
        d.resize(static_cast<std::size_t>(h));
        for (int y = 0; y < h; ++y) f[static_cast<std::size_t>(y)] = grid[static_cast<std::size_t>(y * w + x)];
        transform_line(f, d, v, z);
        for (int y = 0; y < h; ++y) grid[static_cast<std::size_t>(y * w + x)] = d[static_cast<std::size_t>(y)];
    }
    for (int y = 0; y < h; ++y) {
        f.assign(grid.begin() + y * w, grid.begin() + (y + 1) * w);
        d.resize(static_cast<std::size_t>(w));
        transform_line(f, d, v, z);
        std::copy(d.begin(), d.end(), grid.begin() + y * w);
    }
}

/// Coverage (0..1 per pixel, w × h) to SDF bytes. Partly covered pixels
/// place the outline inside them, so edges keep their anti-aliased position.
std::vector<std::uint8_t> to_sdf(std::vector<double> const& coverage, int w, int h)
{
    std::size_t const size = coverage.size();
    std::vector<double> outer(size), inner(size);
    for (std::size_t i = 0; i < size; ++i) {
        double const a = coverage[i];
        outer[i] = a >= 1 ? 0 : a <= 0 ? kFar : std::pow(std::max(0.0, 0.5 - a), 2);
        inner[i] = a >= 1 ? kFar : a <= 0 ? 0 : std::pow(std::max(0.0, a - 0.5), 2);
    }
    transform_grid(outer, w, h);
    transform_grid(inner, w, h);
    std::vector<std::uint8_t> out(size);
    for (std::size_t i = 0; i < size; ++i) {
        double const d = std::sqrt(outer[i]) - std::sqrt(inner[i]);
        out[i] = static_cast<std::uint8_t>(std::clamp(std::lround(255 - 255 * (d / kRadius + kCutoff)), 0L, 255L));
    }
    return out;
}

// ----------------------------------------------------------- protobuf

void put_varint(std::string& out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}
void put_uint(std::string& out, int field, std::uint64_t v)
{
    put_varint(out, static_cast<std::uint64_t>(field) << 3);
    put_varint(out, v);
}
void put_sint(std::string& out, int field, std::int64_t v)
{
    put_uint(out, field, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}
void put_bytes(std::string& out, int field, std::string_view bytes)
{
    put_varint(out, (static_cast<std::uint64_t>(field) << 3) | 2);
    put_varint(out, bytes.size());
    out.append(bytes);
}

// ----------------------------------------------------------- fonts

struct FtLibraryDeleter {
    void operator()(FT_Library l) const noexcept { FT_Done_FreeType(l); }
};
struct FtFaceDeleter {
    void operator()(FT_Face f) const noexcept { FT_Done_Face(f); }
};
using FtLibrary = std::unique_ptr<std::remove_pointer_t<FT_Library>, FtLibraryDeleter>;
using FtFace = std::unique_ptr<std::remove_pointer_t<FT_Face>, FtFaceDeleter>;

struct FontFile {
    std::string path;
    int index = 0;
};

/// The installed font whose full name is `name` ("Noto Sans Bold"), or a
/// family and style that spell it ("Noto Sans" + "Bold").
std::optional<FontFile> find_font(std::string const& name)
{
    auto lookup = [](char const* object, std::string const& value, char const* style) -> std::optional<FontFile> {
        std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> pattern(FcPatternCreate(), FcPatternDestroy);
        FcPatternAddString(pattern.get(), object, reinterpret_cast<FcChar8 const*>(value.c_str()));
        if (style) FcPatternAddString(pattern.get(), FC_STYLE, reinterpret_cast<FcChar8 const*>(style));
        std::unique_ptr<FcObjectSet, decltype(&FcObjectSetDestroy)> objects(
            FcObjectSetBuild(FC_FILE, FC_INDEX, nullptr), FcObjectSetDestroy);
        std::unique_ptr<FcFontSet, decltype(&FcFontSetDestroy)> fonts(FcFontList(nullptr, pattern.get(), objects.get()),
                                                                      FcFontSetDestroy);
        if (!fonts || fonts->nfont == 0) return std::nullopt;
        // The same face may be installed twice (TrueType and OpenType): take a stable first.
        std::vector<FontFile> found;
        for (int i = 0; i < fonts->nfont; ++i) {
            FcChar8* file = nullptr;
            int index = 0;
            if (FcPatternGetString(fonts->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
            FcPatternGetInteger(fonts->fonts[i], FC_INDEX, 0, &index);
            found.push_back({reinterpret_cast<char const*>(file), index});
        }
        if (found.empty()) return std::nullopt;
        std::sort(found.begin(), found.end(), [](auto const& a, auto const& b) { return a.path < b.path; });
        return found.front();
    };
    if (auto f = lookup(FC_FULLNAME, name, nullptr)) return f;
    for (char const* style : {"Bold Italic", "Bold", "Italic", "Regular"}) {
        std::string const suffix = std::string(" ") + style;
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            return lookup(FC_FAMILY, name.substr(0, name.size() - suffix.size()), style);
    }
    return std::nullopt;
}

std::vector<std::string> split_stack(std::string_view stack)
{
    std::vector<std::string> names;
    while (!stack.empty()) {
        auto const comma = stack.find(',');
        std::string_view name = stack.substr(0, comma);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (!name.empty()) names.emplace_back(name);
        if (comma == std::string_view::npos) break;
        stack.remove_prefix(comma + 1);
    }
    return names;
}

/// One glyph as a `glyph` message, or nothing when the face lacks it.
std::optional<std::string> glyph_message(FT_Face face, unsigned codepoint)
{
    if (FT_Get_Char_Index(face, codepoint) == 0) return std::nullopt;
    if (FT_Load_Char(face, codepoint, FT_LOAD_RENDER) != 0) return std::nullopt;
    auto const* slot = face->glyph;
    auto const& bm = slot->bitmap;
    int const w = static_cast<int>(bm.width), h = static_cast<int>(bm.rows);
    std::string msg;
    put_uint(msg, 1, codepoint);
    if (w > 0 && h > 0 && bm.pixel_mode == FT_PIXEL_MODE_GRAY) {
        int const gw = w + 2 * kGlyphBorder, gh = h + 2 * kGlyphBorder;
        std::vector<double> coverage(static_cast<std::size_t>(gw * gh), 0.0);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                coverage[static_cast<std::size_t>((y + kGlyphBorder) * gw + x + kGlyphBorder)] =
                    bm.buffer[y * bm.pitch + x] / 255.0;
        auto const sdf = to_sdf(coverage, gw, gh);
        put_bytes(msg, 2, std::string_view(reinterpret_cast<char const*>(sdf.data()), sdf.size()));
        put_uint(msg, 3, static_cast<std::uint64_t>(w));
        put_uint(msg, 4, static_cast<std::uint64_t>(h));
    } else {
        put_uint(msg, 3, 0);
        put_uint(msg, 4, 0);
    }
    // MapLibre measures `top` from an origin one ascender above the baseline.
    long const ascender = (face->size->metrics.ascender + 32) >> 6;
    put_sint(msg, 5, slot->bitmap_left);
    put_sint(msg, 6, slot->bitmap_top - ascender);
    put_uint(msg, 7, static_cast<std::uint64_t>(std::max(0L, (slot->advance.x + 32) >> 6)));
    return msg;
}

} // namespace

std::string glyph_range_pbf(std::string_view fontstack, unsigned start, unsigned end)
{
    if (start % 256 != 0 || end != start + 255 || end > 65535)
        throw BadRequest("glyph range " + std::to_string(start) + "-" + std::to_string(end) +
                         " is not one of 0-255, 256-511, ... 65280-65535");
    if (fontstack.size() > 256) throw BadRequest("the font stack is longer than 256 bytes");
    auto const names = split_stack(fontstack);
    if (names.empty() || names.size() > 8) throw BadRequest("a font stack names 1 to 8 fonts, separated by commas");

    FT_Library raw_library = nullptr;
    if (FT_Init_FreeType(&raw_library) != 0) throw RenderError("FreeType cannot start");
    FtLibrary library(raw_library);
    std::vector<FtFace> faces;
    auto open = [&](std::string const& name) {
        auto const file = find_font(name);
        if (!file) return;
        FT_Face raw_face = nullptr;
        if (FT_New_Face(library.get(), file->path.c_str(), file->index, &raw_face) != 0) return;
        FtFace face(raw_face);
        if (FT_Set_Pixel_Sizes(face.get(), 0, kGlyphPx) != 0) return;
        faces.push_back(std::move(face));
    };
    for (auto const& name : names) open(name);
    if (faces.empty())
        throw NotFound("no font of the stack '" + std::string(fontstack.substr(0, 128)) + "' is installed");
    // What Pango falls back to for our labels' Arabic names: the map's text
    // in MapLibre must not lose a script the raster tiles show.
    bool const bold = std::any_of(names.begin(), names.end(),
                                  [](std::string const& n) { return n.find("Bold") != std::string::npos; });
    open(bold ? "Noto Sans Arabic Bold" : "Noto Sans Arabic Regular");
    open("DejaVu Sans");

    std::string stack;
    put_bytes(stack, 1, std::string(fontstack));
    put_bytes(stack, 2, std::to_string(start) + "-" + std::to_string(end));
    for (unsigned cp = start; cp <= end; ++cp)
        for (auto const& face : faces)
            if (auto glyph = glyph_message(face.get(), cp)) {
                put_bytes(stack, 3, *glyph);
                break;
            }
    std::string out;
    put_bytes(out, 1, stack);
    return out;
}

SpriteSheet icon_sprite(int pixel_ratio)
{
    if (pixel_ratio != 1 && pixel_ratio != 2) throw BadRequest("sprites come at pixel ratio 1 or 2");
    auto const names = detail::icon_names();
    // An icon at icon-size 1 (the renderer's icon size), plus room for the
    // SDF to carry a halo.
    int const radius = static_cast<int>(icon_radius(1)) * pixel_ratio, border = 4 * pixel_ratio;
    int const cell = 2 * radius + 2 * border;
    int const columns = 5;
    int const rows = static_cast<int>((names.size() + columns - 1) / columns);
    SpriteSheet sheet;
    auto& img = sheet.image;
    img.width = columns * cell;
    img.height = rows * cell;
    img.stride = img.width * 4;
    img.pixels.assign(static_cast<std::size_t>(img.stride) * static_cast<std::size_t>(img.height), 0);
    nlohmann::ordered_json index = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < names.size(); ++i) {
        SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_A8, cell, cell));
        CairoPtr cr(cairo_create(surface.get()));
        detail::icon_path(cr.get(), names[i], cell / 2.0, cell / 2.0, radius);
        cairo_fill(cr.get());
        cairo_surface_flush(surface.get());
        auto const* data = cairo_image_surface_get_data(surface.get());
        int const stride = cairo_image_surface_get_stride(surface.get());
        std::vector<double> coverage(static_cast<std::size_t>(cell * cell));
        for (int y = 0; y < cell; ++y)
            for (int x = 0; x < cell; ++x)
                coverage[static_cast<std::size_t>(y * cell + x)] = data[y * stride + x] / 255.0;
        auto const sdf = to_sdf(coverage, cell, cell);
        int const x0 = static_cast<int>(i % columns) * cell, y0 = static_cast<int>(i / columns) * cell;
        for (int y = 0; y < cell; ++y)
            for (int x = 0; x < cell; ++x)
                img.pixels[static_cast<std::size_t>((y0 + y) * img.stride + (x0 + x) * 4 + 3)] =
                    sdf[static_cast<std::size_t>(y * cell + x)];
        index[names[i]] = {{"x", x0},    {"y", y0}, {"width", cell}, {"height", cell}, {"pixelRatio", pixel_ratio},
                           {"sdf", true}};
    }
    sheet.index = index.dump();
    return sheet;
}

} // namespace sahelmap::render
