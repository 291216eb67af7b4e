#pragma once
#include "sahelmap/core/color.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sahelmap::style {

/// CSS colour syntax as MapLibre accepts it: named colours, #rgb, #rgba,
/// #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla(). nullopt if invalid.
std::optional<Color> parse_color(std::string_view text);

/// `rgba(r,g,b,a)` text, for `to-string` and round trips.
std::string color_to_string(Color c);

} // namespace sahelmap::style
