// The statically typed expression parser: MapLibre expression JSON to a
// tree of the nodes in expression_nodes.hpp, collecting every problem. The
// operators' own parsers are in expression_operators.cpp.
#include "expression_operators.hpp"

namespace sahelmap::style {

namespace detail {

using json = Json;

/// JSON to Value; false with the reason for objects and absurd nesting.
bool to_value(json const& node, Value& out, int depth, std::string& why)
{
    switch (node.type()) {
    case json::value_t::null: out = Value{}; return true;
    case json::value_t::boolean: out = Value{node.get<bool>()}; return true;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: out = Value{node.get<double>()}; return true;
    case json::value_t::string: out = Value{node.get<std::string>()}; return true;
    case json::value_t::array: {
        if (depth >= k_max_depth) {
            why = "literal arrays nested more than " + std::to_string(k_max_depth) + " levels deep";
            return false;
        }
        ValueArray items(node.size());
        for (std::size_t i = 0; i < node.size(); ++i)
            if (!to_value(node[i], items[i], depth + 1, why)) return false;
        out = Value{std::move(items)};
        return true;
    }
    default: why = "object literals are not supported"; return false;
    }
}

void Site::error(std::string const& where, std::string message) const { parser.error(where, message); }

ExpressionPtr Site::parse(std::size_t i, ExprType type) const { return parser.parse(node[i], type, at(i)); }

std::optional<Args> Site::parse_from(std::size_t first, ExprType type) const
{
    Args args;
    bool ok = true;
    for (std::size_t i = first; i < node.size(); ++i) {
        args.push_back(parse(i, type));
        ok = ok && args.back();
    }
    if (!ok) return std::nullopt;
    return args;
}

std::string count_text(std::size_t n)
{
    return std::to_string(n) + (n == 1 ? " argument" : " arguments");
}

bool Site::arity(std::size_t min, std::size_t max) const
{
    std::size_t n = argc();
    if (n >= min && n <= max) return true;
    std::string want = min == max       ? count_text(min)
                       : max == k_any   ? "at least " + count_text(min)
                       : max == min + 1 ? std::to_string(min) + " or " + count_text(max)
                                        : std::to_string(min) + " to " + count_text(max);
    error(path, in_quotes(op) + ": expected " + want + ", got " + std::to_string(n));
    return false;
}

ExpressionPtr Parser::parse_untyped(json const& node, ExprType expected, std::string const& path)
{
    if (node.is_object()) {
        error(path, "expected " + std::string(to_string(expected)) + ", got object");
        return nullptr;
    }
    if (!node.is_array()) return std::make_shared<Literal>(*detail::json_to_value(node));
    if (node.empty()) {
        error(path, "expected an array with at least one element; for a literal array use [\"literal\", []]");
        return nullptr;
    }
    if (!node[0].is_string()) {
        error(path + "[0]", "expression name must be a string, got " + std::string(node[0].type_name()) +
                                "; for a literal array use [\"literal\", [...]]");
        return nullptr;
    }
    std::string const& op = node[0].get_ref<std::string const&>();
    auto parse_operator = find_operator(op);
    if (!parse_operator) {
        error(path + "[0]", "unknown expression " + in_quotes(op) + "; for a literal array use [\"literal\", [...]]");
        return nullptr;
    }
    return parse_operator(Site{*this, node, op, expected, path});
}

ExpressionPtr Parser::annotate(ExpressionPtr e, ExprType expected, std::string const& path, bool check_values)
{
    if (!e) return nullptr;
    ExprType actual = e->type();
    if (expected == ExprType::value || actual == expected) return e;
    if (actual == ExprType::value)
        return !check_values                 ? e
               : expected == ExprType::color ? ExpressionPtr(std::make_shared<ToColor>(Args{std::move(e)}))
                                             : ExpressionPtr(std::make_shared<Assertion>(expected, Args{std::move(e)}));
    if (expected == ExprType::color && actual == ExprType::string) {
        ExpressionPtr coerced = std::make_shared<ToColor>(Args{std::move(e)});
        if (coerced->uses_zoom() || coerced->uses_feature()) return coerced;
        // A constant colour string is checked and converted now, not at every evaluation.
        try {
            return std::make_shared<Literal>(coerced->evaluate(EvalContext{}));
        } catch (EvaluationError const& err) {
            error(path, err.what());
            return nullptr;
        }
    }
    error(path, "expected " + std::string(to_string(expected)) + ", got " + std::string(to_string(actual)));
    return nullptr;
}

std::optional<Value> json_to_value(json const& node)
{
    Value v;
    std::string why;
    if (!to_value(node, v, 0, why)) return std::nullopt;
    return v;
}

bool parse_json(std::string_view text, Json& out, std::string& error)
{
    // Drops nlohmann's "[json.exception.parse_error.101] " tag; the rest names line and column.
    auto message = [](std::string what) {
        if (auto tag_end = what.find("] "); what.starts_with("[json.exception") && tag_end != std::string::npos)
            what.erase(0, tag_end + 2);
        return "invalid JSON: " + what;
    };
    try {
        out = Json::parse(text);
        return true;
    } catch (Json::parse_error const& e) {
        error = message(e.what()) + " (byte " + std::to_string(e.byte) + ")";
    } catch (Json::exception const& e) {
        error = message(e.what()); // e.g. a number too large for a double
    }
    return false;
}

bool is_expression_operator(std::string_view name) noexcept { return find_operator(name) != nullptr; }

ExpressionPtr parse_expression_node(json const& node, ExprType expected, std::string const& path,
                                    std::vector<std::string>& errors)
{
    std::size_t before = errors.size();
    Parser parser(errors);
    auto e = parser.parse(node, expected, path);
    if (errors.size() != before) return nullptr;
    return e;
}

} // namespace detail

ExpressionPtr parse_expression(std::string_view json_text, ExprType expected, std::string const& path)
{
    detail::Json node;
    std::string syntax_error;
    if (!detail::parse_json(json_text, node, syntax_error)) throw StyleError(path, {path + ": " + syntax_error});
    std::vector<std::string> errors;
    auto e = detail::parse_expression_node(node, expected, path, errors);
    if (!e) throw StyleError(path, std::move(errors));
    return e;
}

} // namespace sahelmap::style
