#pragma once
/// A small command-line parser: positionals, `--name value`, `--name=value`,
/// `-o value`, flags. Unknown options are an error naming them.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Thrown for bad command lines; the CLI prints it and exits with 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    OptionSpec(std::string n, bool value = true, std::string short_form = {})
        : name(std::move(n)), takes_value(value), alias(std::move(short_form))
    {
    }
    std::string name; ///< without dashes, e.g. "style"
    bool takes_value;
    std::string alias; ///< short form without dash, e.g. "o"
};

class Args {
public:
    /// Parses argv after the command name. Throws UsageError.
    Args(std::string command, std::vector<std::string> const& argv, std::vector<OptionSpec> const& specs);

    std::vector<std::string> const& positionals() const noexcept { return m_positionals; }
    bool has(std::string const& name) const { return m_values.count(name) > 0; }
    std::optional<std::string> get(std::string const& name) const;
    std::string get_or(std::string const& name, std::string fallback) const;
    bool help() const noexcept { return m_help; }

private:
    std::string m_command;
    std::vector<std::string> m_positionals;
    std::map<std::string, std::string> m_values;
    bool m_help = false;
};

} // namespace sahelmap::cli
