// Tile addresses, dates and expressions as typed by clients: split the
// input on '/' and feed the parts to the parsers that guard the boundary.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/core/tile.hpp"
#include "sahelmap/style/expression.hpp"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string const text(reinterpret_cast<char const*>(data), size);
    std::vector<std::string> parts{""};
    for (char c : text) {
        if (c == '/')
            parts.emplace_back();
        else
            parts.back() += c;
    }
    while (parts.size() < 4) parts.emplace_back();
    try {
        (void)sahelmap::TileId::parse(parts[0], parts[1], parts[2]);
    } catch (sahelmap::Error const&) {
    }
    (void)sahelmap::Date::parse(parts[3]);
    try {
        auto e = sahelmap::style::parse_expression(text);
        (void)e->evaluate({3.0, {}});
    } catch (sahelmap::Error const&) {
    }
    return 0;
}
