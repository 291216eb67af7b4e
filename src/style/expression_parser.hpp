#pragma once
/// Internal to the style stage: expression parsing from JSON that is already
/// parsed, collecting problems instead of throwing, so a style reports every
/// mistake at once. Only style .cpp files include this.
#include "sahelmap/style/expression.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::style::detail {

/// Style documents are read into nlohmann's insertion-ordered JSON so that
/// problems are reported in document order.
using Json = nlohmann::ordered_json;

/// Parses JSON text; false with `error` ("invalid JSON: parse error at line
/// 3, column 5: ... (byte 42)") on a syntax error.
bool parse_json(std::string_view text, Json& out, std::string& error);

/// Parses `node` as an expression of type `expected`. Appends each problem as
/// "path: message" to `errors` and returns null if there was any.
ExpressionPtr parse_expression_node(Json const& node, ExprType expected, std::string const& path,
                                    std::vector<std::string>& errors);

/// True for every operator name parse_expression_node understands, so the
/// style parser can tell `["literal", ...]`-less array constants such as
/// `["DejaVu Sans Book"]` from expressions.
bool is_expression_operator(std::string_view name) noexcept;

/// JSON scalars and (nested) arrays as a Value; nullopt for objects.
std::optional<Value> json_to_value(Json const& node);

} // namespace sahelmap::style::detail
