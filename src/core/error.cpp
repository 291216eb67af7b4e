#include "sahelmap/core/error.hpp"

namespace sahelmap {

namespace {
std::string summarize(std::string const& style_name, std::vector<std::string> const& problems)
{
    std::string msg = "style " + style_name + " is invalid";
    if (problems.empty()) return msg;
    msg += ": " + problems.front();
    if (problems.size() > 1) msg += " (and " + std::to_string(problems.size() - 1) + " more problems)";
    return msg;
}
} // namespace

StyleError::StyleError(std::string const& style_name, std::vector<std::string> problems)
    : Error(summarize(style_name, problems)), m_problems(std::move(problems))
{
}

} // namespace sahelmap
