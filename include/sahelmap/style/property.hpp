#pragma once
/// A paint or layout property: a constant or an expression, evaluated to a
/// concrete C++ type with the property's default as fallback.
#include "sahelmap/style/expression.hpp"

#include <string>
#include <vector>

namespace sahelmap::style {

enum class LineCap { butt, round, square };
enum class LineJoin { bevel, round, miter };
enum class TextAnchor { center, left, right, top, bottom, top_left, top_right, bottom_left, bottom_right };
enum class TextTransform { none, uppercase, lowercase };
enum class SymbolPlacement { point, line };

/// Converts an evaluated Value to T; false when the value has the wrong type.
/// Specialised for double, bool, Color, std::string, std::vector<double>,
/// std::vector<std::string> and the enums above.
template <class T> bool convert_value(Value const& v, T& out);
template <> bool convert_value<double>(Value const& v, double& out);
template <> bool convert_value<bool>(Value const& v, bool& out);
template <> bool convert_value<Color>(Value const& v, Color& out);
template <> bool convert_value<std::string>(Value const& v, std::string& out);
template <> bool convert_value<std::vector<double>>(Value const& v, std::vector<double>& out);
template <> bool convert_value<std::vector<std::string>>(Value const& v, std::vector<std::string>& out);
template <> bool convert_value<LineCap>(Value const& v, LineCap& out);
template <> bool convert_value<LineJoin>(Value const& v, LineJoin& out);
template <> bool convert_value<TextAnchor>(Value const& v, TextAnchor& out);
template <> bool convert_value<TextTransform>(Value const& v, TextTransform& out);
template <> bool convert_value<SymbolPlacement>(Value const& v, SymbolPlacement& out);

template <class T> class Property {
public:
    Property() = default;
    explicit Property(T fallback) : m_constant(std::move(fallback)) {}

    /// A constant value, replacing the default.
    void set_constant(T value)
    {
        m_constant = std::move(value);
        m_expr.reset();
    }
    /// An expression; the previous constant stays as the fallback.
    void set_expression(ExpressionPtr e) { m_expr = std::move(e); }

    bool is_constant() const noexcept { return !m_expr; }
    bool uses_zoom() const noexcept { return m_expr && m_expr->uses_zoom(); }
    bool uses_feature() const noexcept { return m_expr && m_expr->uses_feature(); }
    /// The constant (or the fallback when an expression is set).
    T const& constant() const noexcept { return m_constant; }
    /// The expression, or null for a constant (an expression that reads
    /// neither zoom nor feature was folded into one when the style loaded).
    ExpressionPtr const& expression() const noexcept { return m_expr; }

    T evaluate(EvalContext const& ctx) const
    {
        if (!m_expr) return m_constant;
        try {
            T out;
            if (convert_value(m_expr->evaluate(ctx), out)) return out;
        } catch (EvaluationError const&) {
        }
        return m_constant;
    }

private:
    T m_constant{};
    ExpressionPtr m_expr;
};

} // namespace sahelmap::style
