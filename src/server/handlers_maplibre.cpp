// What MapLibre GL needs besides tiles and styles: glyph ranges
// (/fonts/{fontstack}/{start}-{end}.pbf) and the icon sprite
// (/sprites/{style}.json|.png, @2x), both made on the render pool.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/render/sdf.hpp"

#include <charconv>

namespace sahelmap::server::detail {

namespace {

unsigned parse_code_point(std::string_view text)
{
    unsigned v = 0;
    auto const [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size())
        throw BadRequest("glyph range '" + std::string(text.substr(0, 16)) + "' is not a number");
    return v;
}

} // namespace

Handled handle_fonts(Request const& request, RouteContext const& context, std::string_view rest)
{
    // rest: "{fontstack}/{start}-{end}.pbf"; the fontstack may hold commas and spaces, not slashes.
    auto const slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0 || rest.find('/', slash + 1) != std::string_view::npos ||
        !rest.ends_with(".pbf"))
        throw NotFound("glyphs are at /fonts/{fontstack}/{start}-{end}.pbf");
    std::string const stack(rest.substr(0, slash));
    auto const range = rest.substr(slash + 1, rest.size() - slash - 1 - 4);
    auto const dash = range.find('-');
    if (dash == std::string_view::npos) throw NotFound("glyphs are at /fonts/{fontstack}/{start}-{end}.pbf");
    unsigned const start = parse_code_point(range.substr(0, dash)), end = parse_code_point(range.substr(dash + 1));
    if (start % 256 != 0 || end != start + 255 || end > 65535)
        throw BadRequest("glyph range " + std::string(range.substr(0, 24)) +
                         " is not one of 0-255, 256-511, ... 65280-65535");
    return WorkJob(JobKind::cheap, [stack, start, end, request, max_age = context.options->max_age] {
        return cacheable(request, "application/x-protobuf", render::glyph_range_pbf(stack, start, end), max_age, true);
    });
}

Handled handle_sprite(Request const& request, RouteContext const& context, std::string_view name)
{
    // name: "{style}.json", "{style}.png", "{style}@2x.json" or "{style}@2x.png"
    bool const png = name.ends_with(".png");
    if (!png && !name.ends_with(".json")) throw NotFound("sprites are at /sprites/{style}.json and .png (and @2x)");
    auto stem = name.substr(0, name.size() - (png ? 4 : 5));
    int ratio = 1;
    if (stem.ends_with("@2x")) {
        ratio = 2;
        stem.remove_suffix(3);
    }
    std::string const style(stem);
    // One sheet serves every style (our built-in shapes); an unknown style is still 404.
    if (style != "change") context.snapshot->service->renderer(style);
    return WorkJob(JobKind::cheap, [png, ratio, request, max_age = context.options->max_age] {
        auto sheet = render::icon_sprite(ratio);
        if (png) return cacheable(request, "image/png", encode::encode_png(sheet.image), max_age, false);
        return cacheable(request, "application/json", std::move(sheet.index), max_age, true);
    });
}

} // namespace sahelmap::server::detail
