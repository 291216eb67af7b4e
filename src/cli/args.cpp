#include "sahelmap/cli/args.hpp"

#include <algorithm>
#include <cctype>

namespace sahelmap::cli {

Args::Args(std::string command, std::vector<std::string> const& argv, std::vector<OptionSpec> const& specs)
    : m_command(std::move(command))
{
    auto find = [&](std::string const& name) -> OptionSpec const* {
        for (auto const& s : specs)
            if (s.name == name || (!s.alias.empty() && s.alias == name)) return &s;
        return nullptr;
    };
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string const& a = argv[i];
        if (a == "--help" || a == "-h") {
            m_help = true;
            continue;
        }
        bool const is_option =
            a.size() > 1 && a[0] == '-' && !(a.size() > 1 && (std::isdigit(static_cast<unsigned char>(a[1])) != 0));
        if (!is_option) {
            m_positionals.push_back(a);
            continue;
        }
        std::string name = a.substr(a.rfind("--", 0) == 0 ? 2 : 1);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        OptionSpec const* spec = find(name);
        if (!spec) throw UsageError("unknown option '" + a + "' for sahelmap " + m_command + " (see --help)");
        if (!spec->takes_value) {
            if (inline_value) throw UsageError("option --" + spec->name + " takes no value");
            m_values[spec->name] = "1";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argv.size()) throw UsageError("option --" + spec->name + " needs a value");
            inline_value = argv[++i];
        }
        m_values[spec->name] = *inline_value;
    }
}

std::optional<std::string> Args::get(std::string const& name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

std::string Args::get_or(std::string const& name, std::string fallback) const
{
    auto v = get(name);
    return v ? *v : std::move(fallback);
}

} // namespace sahelmap::cli
