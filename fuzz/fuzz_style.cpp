// Style documents come from users' files and, later, from HTTP: any bytes
// must give a Style or a StyleError, never a crash.
#include "sahelmap/core/error.hpp"
#include "sahelmap/style/style.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    static std::vector<std::string> const layers{"countries", "borders", "regions", "sites", "corridors", "places"};
    std::string const text(reinterpret_cast<char const*>(data), size);
    try {
        auto style = sahelmap::style::Style::parse("fuzz", text, layers);
        // Evaluate every constant and expression once against an empty feature.
        sahelmap::style::EvalContext ctx{5.5, {}};
        for (auto const& l : style->layers())
            if (l.filter) {
                try {
                    (void)l.filter->evaluate(ctx);
                } catch (sahelmap::style::EvaluationError const&) {
                }
            }
    } catch (sahelmap::StyleError const&) {
    }
    return 0;
}
