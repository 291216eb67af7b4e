#pragma once
/// Internal to the style stage: the immutable expression node types, the
/// run-time helpers they share, and the evaluation functions of `Call`
/// nodes. The parser (expression_parse.cpp) builds trees of these; only the
/// expression_*.cpp files include this.
#include "sahelmap/style/expression.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::style::detail {

using Args = std::vector<ExpressionPtr>;

// ---------------------------------------------------------------------------
// Run-time helpers. Static typing makes most of these checks redundant, but a
// `value`-typed argument (e.g. `get`) only reveals its type at run time.

[[noreturn]] void fail(std::string message);

ExprType type_of(Value const& v) noexcept;

std::string in_quotes(std::string_view s);

/// A value as error messages show it: strings quoted, null spelled out.
std::string describe(Value const& v);

double number_of(Value const& v);
bool boolean_of(Value const& v);
std::string const& string_of(Value const& v);

/// Colour from a Color, a CSS colour string, or an [r, g, b(, a)] array.
std::optional<Color> color_of(Value const& v);

// ---------------------------------------------------------------------------
// Nodes. Every node is immutable after construction; evaluate() only reads.

/// Which inputs an expression reads, accumulated from its children.
struct Deps {
    bool zoom = false;
    bool feature = false;

    void add(ExpressionPtr const& e) noexcept
    {
        if (!e) return;
        zoom = zoom || e->uses_zoom();
        feature = feature || e->uses_feature();
    }
    void add(Args const& args) noexcept
    {
        for (auto const& a : args) add(a);
    }
};

inline Deps merged(Deps d, Args const& args) noexcept
{
    d.add(args);
    return d;
}

class Literal final : public Expression {
public:
    explicit Literal(Value v) : Expression(type_of(v), false, false), m_value(std::move(v)) {}
    Value evaluate(EvalContext const&) const override;
    Value const& value() const noexcept { return m_value; }

private:
    Value m_value;
};

using EvalFn = Value (*)(EvalContext const&, Args const&);

/// Most operators are a function of their evaluated arguments; one node
/// type with a plain function pointer serves them all.
class Call final : public Expression {
public:
    Call(ExprType type, Args operands, EvalFn function, Deps own = {})
        : Expression(type, merged(own, operands).zoom, merged(own, operands).feature), m_args(std::move(operands)),
          m_fn(function)
    {
    }
    Value evaluate(EvalContext const& ctx) const override;
    Args const& args() const noexcept { return m_args; }
    EvalFn fn() const noexcept { return m_fn; } ///< which operator this is

private:
    Args m_args;
    EvalFn m_fn;
};

/// `number`, `string`, `boolean`, and the implicit check put around a
/// `value`-typed expression where a specific type is expected.
class Assertion final : public Expression {
public:
    /// `written`: the style wrote the operator, rather than the parser adding the check.
    Assertion(ExprType type, Args operands, bool written = false)
        : Expression(type, merged({}, operands).zoom, merged({}, operands).feature), m_args(std::move(operands)),
          m_written(written)
    {
    }
    Value evaluate(EvalContext const& ctx) const override;
    Args const& args() const noexcept { return m_args; }
    bool written() const noexcept { return m_written; }

private:
    Args m_args;
    bool m_written;
};

/// `to-color`, also put implicitly around strings where a colour is expected.
class ToColor final : public Expression {
public:
    /// `written`: the style wrote `to-color`, rather than the parser adding the conversion.
    explicit ToColor(Args operands, bool written = false)
        : Expression(ExprType::color, merged({}, operands).zoom, merged({}, operands).feature),
          m_args(std::move(operands)), m_written(written)
    {
    }
    Value evaluate(EvalContext const& ctx) const override;
    Args const& args() const noexcept { return m_args; }
    bool written() const noexcept { return m_written; }

private:
    Args m_args;
    bool m_written;
};

class Match final : public Expression {
public:
    /// `arm_labels[i]` selects `arm_outputs[i]`, in document order, written
    /// as an array when `listed[i]`; `numbers` and `strings` index the same
    /// labels for evaluation.
    Match(ExprType type, Deps deps, ExpressionPtr in, std::vector<std::vector<Value>> arm_labels,
          std::vector<bool> listed, std::map<double, std::size_t> numbers,
          std::map<std::string, std::size_t, std::less<>> strings, Args arm_outputs, ExpressionPtr fallback)
        : Expression(type, deps.zoom, deps.feature), m_input(std::move(in)), m_labels(std::move(arm_labels)),
          m_listed(std::move(listed)), m_numbers(std::move(numbers)), m_strings(std::move(strings)),
          m_outputs(std::move(arm_outputs)), m_otherwise(std::move(fallback))
    {
    }
    Value evaluate(EvalContext const& ctx) const override;
    ExpressionPtr const& input() const noexcept { return m_input; }
    std::vector<std::vector<Value>> const& labels() const noexcept { return m_labels; }
    std::vector<bool> const& listed() const noexcept { return m_listed; }
    Args const& outputs() const noexcept { return m_outputs; }
    ExpressionPtr const& otherwise() const noexcept { return m_otherwise; }

private:
    ExpressionPtr m_input;
    std::vector<std::vector<Value>> m_labels;
    std::vector<bool> m_listed;
    std::map<double, std::size_t> m_numbers;
    std::map<std::string, std::size_t, std::less<>> m_strings;
    Args m_outputs;
    ExpressionPtr m_otherwise;
};

struct Interpolation {
    enum Kind { linear, exponential, cubic_bezier } kind = linear;
    double base = 1;
    double x1 = 0, y1 = 0, x2 = 1, y2 = 1;

    /// Where `x` lies between stops `lower` and `upper`, 0..1 (eased).
    double factor(double x, double lower, double upper) const noexcept;

private:
    /// y of the unit cubic Bézier (0,0),(x1,y1),(x2,y2),(1,1) at the given x.
    double bezier(double x) const noexcept;
};

class Interpolate final : public Expression {
public:
    Interpolate(ExprType type, Deps deps, Interpolation kind, ExpressionPtr in, std::vector<double> stop_inputs,
                Args stop_outputs)
        : Expression(type, deps.zoom, deps.feature), m_how(kind), m_input(std::move(in)),
          m_stops(std::move(stop_inputs)), m_outputs(std::move(stop_outputs))
    {
    }
    Value evaluate(EvalContext const& ctx) const override;
    Interpolation const& how() const noexcept { return m_how; }
    ExpressionPtr const& input() const noexcept { return m_input; }
    std::vector<double> const& stops() const noexcept { return m_stops; }
    Args const& outputs() const noexcept { return m_outputs; }

private:
    Interpolation m_how;
    ExpressionPtr m_input;
    std::vector<double> m_stops;
    Args m_outputs;
};

class Step final : public Expression {
public:
    /// `stop_inputs[0]` is -infinity and stands for the output before the first stop.
    Step(ExprType type, Deps deps, ExpressionPtr in, std::vector<double> stop_inputs, Args stop_outputs)
        : Expression(type, deps.zoom, deps.feature), m_input(std::move(in)), m_stops(std::move(stop_inputs)),
          m_outputs(std::move(stop_outputs))
    {
    }
    Value evaluate(EvalContext const& ctx) const override;
    ExpressionPtr const& input() const noexcept { return m_input; }
    std::vector<double> const& stops() const noexcept { return m_stops; }
    Args const& outputs() const noexcept { return m_outputs; }

private:
    ExpressionPtr m_input;
    std::vector<double> m_stops;
    Args m_outputs;
};

// ---------------------------------------------------------------------------
// Evaluation functions for Call nodes (expression_eval.cpp).

Value eval_get(EvalContext const& ctx, Args const& a);
Value eval_has(EvalContext const& ctx, Args const& a);
Value eval_id(EvalContext const& ctx, Args const& a);
Value eval_geometry_type(EvalContext const& ctx, Args const& a);
Value eval_zoom(EvalContext const& ctx, Args const& a);
Value eval_heatmap_density(EvalContext const& ctx, Args const& a);
Value eval_case(EvalContext const& ctx, Args const& a);
Value eval_coalesce(EvalContext const& ctx, Args const& a);
Value eval_equal(EvalContext const& ctx, Args const& a);
Value eval_not_equal(EvalContext const& ctx, Args const& a);

enum class Order { less, less_equal, greater, greater_equal };
/// Instantiated for each Order in expression_eval.cpp.
template <Order O> Value eval_order(EvalContext const& ctx, Args const& a);

Value eval_all(EvalContext const& ctx, Args const& a);
Value eval_any(EvalContext const& ctx, Args const& a);
Value eval_not(EvalContext const& ctx, Args const& a);
Value eval_in(EvalContext const& ctx, Args const& a);
Value eval_concat(EvalContext const& ctx, Args const& a);
Value eval_to_string(EvalContext const& ctx, Args const& a);
Value eval_to_number(EvalContext const& ctx, Args const& a);
Value eval_to_boolean(EvalContext const& ctx, Args const& a);
Value eval_upcase(EvalContext const& ctx, Args const& a);
Value eval_downcase(EvalContext const& ctx, Args const& a);
Value eval_length(EvalContext const& ctx, Args const& a);
Value eval_at(EvalContext const& ctx, Args const& a);
Value eval_rgba(EvalContext const& ctx, Args const& a);
Value eval_add(EvalContext const& ctx, Args const& a);
Value eval_multiply(EvalContext const& ctx, Args const& a);
Value eval_subtract(EvalContext const& ctx, Args const& a);
Value eval_divide(EvalContext const& ctx, Args const& a);
Value eval_modulo(EvalContext const& ctx, Args const& a);
Value eval_power(EvalContext const& ctx, Args const& a);
Value eval_min(EvalContext const& ctx, Args const& a);
Value eval_max(EvalContext const& ctx, Args const& a);
Value eval_abs(EvalContext const& ctx, Args const& a);
Value eval_round(EvalContext const& ctx, Args const& a);
Value eval_floor(EvalContext const& ctx, Args const& a);
Value eval_ceil(EvalContext const& ctx, Args const& a);

} // namespace sahelmap::style::detail
