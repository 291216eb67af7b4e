#include "sahelmap/style/property.hpp"

#include "sahelmap/style/color_parse.hpp"

#include <string_view>
#include <utility>

namespace sahelmap::style {

namespace {

template <class E, std::size_t N>
bool convert_enum(Value const& v, E& out, std::pair<std::string_view, E> const (&names)[N])
{
    auto s = v.as_string();
    if (!s) return false;
    for (auto const& [name, value] : names)
        if (*s == name) {
            out = value;
            return true;
        }
    return false;
}

} // namespace

template <> bool convert_value<double>(Value const& v, double& out)
{
    auto d = v.as_number();
    if (!d) return false;
    out = *d;
    return true;
}

template <> bool convert_value<bool>(Value const& v, bool& out)
{
    auto b = v.as_bool();
    if (!b) return false;
    out = *b;
    return true;
}

template <> bool convert_value<Color>(Value const& v, Color& out)
{
    if (auto c = v.as_color()) {
        out = *c;
        return true;
    }
    // A `get` of a colour attribute yields its text; accept it like MapLibre's coercion.
    if (auto s = v.as_string())
        if (auto c = parse_color(*s)) {
            out = *c;
            return true;
        }
    return false;
}

template <> bool convert_value<std::string>(Value const& v, std::string& out)
{
    // Labels show numbers and booleans too; only null (missing) and arrays are not text.
    if (v.is_null() || v.is_array()) return false;
    out = v.to_string();
    return true;
}

template <> bool convert_value<std::vector<double>>(Value const& v, std::vector<double>& out)
{
    auto a = v.as_array();
    if (!a) return false;
    std::vector<double> result;
    result.reserve(a->size());
    for (auto const& item : *a) {
        auto d = item.as_number();
        if (!d) return false;
        result.push_back(*d);
    }
    out = std::move(result);
    return true;
}

template <> bool convert_value<std::vector<std::string>>(Value const& v, std::vector<std::string>& out)
{
    auto a = v.as_array();
    if (!a) return false;
    std::vector<std::string> result;
    result.reserve(a->size());
    for (auto const& item : *a) {
        auto s = item.as_string();
        if (!s) return false;
        result.push_back(*s);
    }
    out = std::move(result);
    return true;
}

template <> bool convert_value<LineCap>(Value const& v, LineCap& out)
{
    static constexpr std::pair<std::string_view, LineCap> names[] = {
        {"butt", LineCap::butt}, {"round", LineCap::round}, {"square", LineCap::square}};
    return convert_enum(v, out, names);
}

template <> bool convert_value<LineJoin>(Value const& v, LineJoin& out)
{
    static constexpr std::pair<std::string_view, LineJoin> names[] = {
        {"bevel", LineJoin::bevel}, {"round", LineJoin::round}, {"miter", LineJoin::miter}};
    return convert_enum(v, out, names);
}

template <> bool convert_value<TextAnchor>(Value const& v, TextAnchor& out)
{
    static constexpr std::pair<std::string_view, TextAnchor> names[] = {
        {"center", TextAnchor::center},         {"left", TextAnchor::left},
        {"right", TextAnchor::right},           {"top", TextAnchor::top},
        {"bottom", TextAnchor::bottom},         {"top-left", TextAnchor::top_left},
        {"top-right", TextAnchor::top_right},   {"bottom-left", TextAnchor::bottom_left},
        {"bottom-right", TextAnchor::bottom_right}};
    return convert_enum(v, out, names);
}

template <> bool convert_value<TextTransform>(Value const& v, TextTransform& out)
{
    static constexpr std::pair<std::string_view, TextTransform> names[] = {
        {"none", TextTransform::none}, {"uppercase", TextTransform::uppercase}, {"lowercase", TextTransform::lowercase}};
    return convert_enum(v, out, names);
}

template <> bool convert_value<SymbolPlacement>(Value const& v, SymbolPlacement& out)
{
    // sahelmap places line labels at the line's middle either way, so
    // MapLibre's "line-center" is the same as "line" here.
    static constexpr std::pair<std::string_view, SymbolPlacement> names[] = {
        {"point", SymbolPlacement::point}, {"line", SymbolPlacement::line}, {"line-center", SymbolPlacement::line}};
    return convert_enum(v, out, names);
}

} // namespace sahelmap::style
