#pragma once
/// Internal to the style stage: what the expression parser
/// (expression_parse.cpp) shares with the parsers of its operators
/// (expression_operators.cpp): the Parser, the Site of one operator call,
/// and the table that maps operator names to their parsers.
#include "expression_nodes.hpp"
#include "expression_parser.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::style::detail {

inline constexpr std::size_t k_any = std::numeric_limits<std::size_t>::max();

/// Deeper nesting is no real style, only a way to exhaust the stack of this
/// recursive parser; refused with an error instead.
inline constexpr int k_max_depth = 100;

/// JSON to Value; false with the reason for objects and absurd nesting.
bool to_value(Json const& node, Value& out, int depth, std::string& why);

/// "1 argument", "2 arguments".
std::string count_text(std::size_t n);

class Parser;

/// One operator call being parsed: `node` is the whole JSON array, whose
/// element 0 is the operator name; argument i is node[i].
struct Site {
    Parser& parser;
    Json const& node;
    std::string const& op;
    ExprType expected;
    std::string const& path;

    std::size_t argc() const noexcept { return node.size() - 1; }
    std::string at(std::size_t i) const { return path + "[" + std::to_string(i) + "]"; }
    void error(std::string const& where, std::string message) const;
    ExpressionPtr parse(std::size_t i, ExprType type) const;
    /// Parses node[first..] as `type`; nullopt if any failed (all are tried, to report every error).
    std::optional<Args> parse_from(std::size_t first, ExprType type) const;
    bool arity(std::size_t min, std::size_t max) const;
};

class Parser {
public:
    explicit Parser(std::vector<std::string>& errors) : m_errors(errors) {}

    void error(std::string const& path, std::string const& message) { m_errors.push_back(path + ": " + message); }

    /// Parses and makes the result have type `expected`: a `value`-typed
    /// result gets a run-time check (or colour coercion), a string where a
    /// colour is expected is converted, anything else is a type error.
    ExpressionPtr parse(Json const& node, ExprType expected, std::string const& path)
    {
        return parse_nested(node, expected, path, true);
    }

    /// Like parse(), but a `value`-typed result is left unchecked; what
    /// `coalesce` needs so that `["coalesce", ["get", "x"], 0]` can skip nulls.
    ExpressionPtr parse_unchecked(Json const& node, ExprType expected, std::string const& path)
    {
        return parse_nested(node, expected, path, false);
    }

private:
    ExpressionPtr parse_nested(Json const& node, ExprType expected, std::string const& path, bool check_values)
    {
        if (m_depth >= k_max_depth) {
            error(path, "expression nested more than " + std::to_string(k_max_depth) + " levels deep");
            return nullptr;
        }
        ++m_depth;
        auto e = annotate(parse_untyped(node, expected, path), expected, path, check_values);
        --m_depth;
        return e;
    }
    ExpressionPtr parse_untyped(Json const& node, ExprType expected, std::string const& path);
    ExpressionPtr annotate(ExpressionPtr e, ExprType expected, std::string const& path, bool check_values);

    std::vector<std::string>& m_errors;
    int m_depth = 0;
};

/// Parses one operator call; reports problems through the Site, null on any.
using OperatorParser = ExpressionPtr (*)(Site const&);

/// The parser of the operator `name`; nullptr for an unknown name.
OperatorParser find_operator(std::string_view name) noexcept;

} // namespace sahelmap::style::detail
