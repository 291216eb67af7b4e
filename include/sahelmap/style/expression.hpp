#pragma once
/// MapLibre-style expressions: parsed once into an immutable tree, evaluated
/// against a zoom and a feature from many threads at once.
#include "sahelmap/core/error.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/core/value.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::style {

/// Static result type of an expression; `value` means "any, known at run time".
enum class ExprType { value, null, boolean, number, string, color, array };

std::string_view to_string(ExprType t) noexcept;

/// What an expression is evaluated against. `feature.schema == nullptr`
/// means no feature (zoom-only evaluation, e.g. background paint).
struct EvalContext {
    double zoom = 0;
    FeatureRef feature;
    double heatmap_density = 0; ///< what ["heatmap-density"] gives inside heatmap-color
};

/// Thrown by evaluate() when an expression fails at run time (e.g. `<` on a
/// string and a number); properties then fall back to their default and
/// filters reject the feature, as MapLibre does.
class EvaluationError : public Error {
public:
    using Error::Error;
};

class Expression {
public:
    virtual ~Expression() = default;
    virtual Value evaluate(EvalContext const& ctx) const = 0;

    ExprType type() const noexcept { return m_type; }
    bool uses_zoom() const noexcept { return m_uses_zoom; }
    bool uses_feature() const noexcept { return m_uses_feature; }

protected:
    Expression(ExprType type, bool uses_zoom, bool uses_feature)
        : m_type(type), m_uses_zoom(uses_zoom), m_uses_feature(uses_feature)
    {
    }

private:
    ExprType m_type;
    bool m_uses_zoom;
    bool m_uses_feature;
};

using ExpressionPtr = std::shared_ptr<Expression const>;

/// Parses expression JSON text (e.g. `["get", "name"]`, or a bare literal)
/// expecting a result of type `expected` (`value` accepts anything).
/// Throws StyleError listing every problem, each prefixed with `path`.
ExpressionPtr parse_expression(std::string_view json_text, ExprType expected = ExprType::value,
                               std::string const& path = "expression");

} // namespace sahelmap::style
