#include "sahelmap/core/tile.hpp"

#include "sahelmap/core/error.hpp"

#include <charconv>
#include <string>

namespace sahelmap {

std::optional<TileId> TileId::make(std::int64_t z, std::int64_t x, std::int64_t y) noexcept
{
    if (z < 0 || z > kMaxZoom) return std::nullopt;
    std::int64_t const n = std::int64_t{1} << z;
    if (x < 0 || y < 0 || x >= n || y >= n) return std::nullopt;
    return TileId(static_cast<int>(z), static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y));
}

namespace {
std::int64_t parse_coordinate(std::string_view text, char const* what)
{
    std::int64_t v = 0;
    // Digits only: no sign, no spaces, no hex; at most 10 digits (2^20 fits easily).
    bool digits = !text.empty() && text.size() <= 10 &&
                  text.find_first_not_of("0123456789") == std::string_view::npos;
    if (digits) {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        digits = ec == std::errc() && end == text.data() + text.size();
    }
    if (!digits)
        throw BadRequest(std::string("tile ") + what + " '" + std::string(text.substr(0, 32)) +
                         "' is not a non-negative whole number");
    return v;
}
} // namespace

TileId TileId::parse(std::string_view z, std::string_view x, std::string_view y)
{
    auto const zi = parse_coordinate(z, "zoom");
    auto const xi = parse_coordinate(x, "x");
    auto const yi = parse_coordinate(y, "y");
    if (zi > kMaxZoom)
        throw NotFound("tile zoom " + std::to_string(zi) + " is beyond the maximum zoom " + std::to_string(kMaxZoom));
    auto t = make(zi, xi, yi);
    if (!t)
        throw NotFound("tile " + std::to_string(zi) + "/" + std::to_string(xi) + "/" + std::to_string(yi) +
                       " is outside the pyramid (x and y must be below " + std::to_string(1 << zi) + ")");
    return *t;
}

} // namespace sahelmap
