#include "sahelmap/core/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sahelmap {

std::string_view Value::type_name() const noexcept
{
    switch (data.index()) {
    case 0: return "null";
    case 1: return "boolean";
    case 2: return "number";
    case 3: return "string";
    case 4: return "color";
    default: return "array";
    }
}

namespace {
std::string number_text(double d)
{
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    // Shortest text that reads back to the same double, like JavaScript's.
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

std::string color_text(Color c)
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "rgba(%d,%d,%d,%g)", static_cast<int>(std::lround(c.r * 255)),
                  static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255)),
                  static_cast<double>(c.a));
    return buf;
}
} // namespace

std::string Value::to_string() const
{
    switch (data.index()) {
    case 0: return "";
    case 1: return std::get<bool>(data) ? "true" : "false";
    case 2: return number_text(std::get<double>(data));
    case 3: return std::get<std::string>(data);
    case 4: return color_text(std::get<Color>(data));
    default: {
        std::string out = "[";
        bool first = true;
        for (auto const& v : std::get<ValueArray>(data)) {
            if (!first) out += ",";
            first = false;
            out += v.is_string() ? "\"" + v.to_string() + "\"" : (v.is_null() ? "null" : v.to_string());
        }
        return out + "]";
    }
    }
}

} // namespace sahelmap
