#include "sahelmap/source/words.hpp"

#include <array>
#include <utility>

namespace sahelmap::source {

std::string_view code_words(std::string_view code) noexcept
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> words = {{
        {"russia_africa_corps", "Africa Corps"},
        {"wagner", "Wagner"},
        {"russia_redut", "Redut (\"Bear\" brigade)"},
        {"syrian_auxiliaries", "Syrian auxiliaries"},
        {"france", "France"},
        {"united_states", "United States"},
        {"germany", "Germany"},
        {"italy", "Italy"},
        {"local_forces", "local forces"},
        {"logistics_hub", "logistics hub"},
        {"command_post", "command post"},
        {"forward_base", "forward base"},
        {"former_western_base", "former Western base"},
        {"sea_road", "sea, then road"},
        {"air", "air link (schematic)"},
    }};
    for (auto const& [c, text] : words)
        if (c == code) return text;
    return {};
}

} // namespace sahelmap::source
