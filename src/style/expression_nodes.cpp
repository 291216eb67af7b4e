// The expression node types' evaluation and the run-time helpers they share.
#include "expression_nodes.hpp"

#include "sahelmap/style/color_parse.hpp"

#include <algorithm>
#include <cmath>

namespace sahelmap::style {

std::string_view to_string(ExprType t) noexcept
{
    switch (t) {
    case ExprType::value: return "value";
    case ExprType::null: return "null";
    case ExprType::boolean: return "boolean";
    case ExprType::number: return "number";
    case ExprType::string: return "string";
    case ExprType::color: return "color";
    case ExprType::array: return "array";
    }
    return "value";
}

namespace detail {

ExprType type_of(Value const& v) noexcept
{
    switch (v.data.index()) {
    case 0: return ExprType::null;
    case 1: return ExprType::boolean;
    case 2: return ExprType::number;
    case 3: return ExprType::string;
    case 4: return ExprType::color;
    default: return ExprType::array;
    }
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

/// A value as error messages show it: strings quoted, null spelled out.
std::string describe(Value const& v)
{
    if (auto s = v.as_string()) return in_quotes(*s);
    if (v.is_null()) return "null";
    return v.to_string();
}

[[noreturn]] void fail(std::string message) { throw EvaluationError(message); }

double number_of(Value const& v)
{
    if (auto d = v.as_number()) return *d;
    fail("expected value to be of type number, but found " + std::string(v.type_name()) + " instead");
}

bool boolean_of(Value const& v)
{
    if (auto b = v.as_bool()) return *b;
    fail("expected value to be of type boolean, but found " + std::string(v.type_name()) + " instead");
}

std::string const& string_of(Value const& v)
{
    if (auto s = v.as_string()) return *s;
    fail("expected value to be of type string, but found " + std::string(v.type_name()) + " instead");
}

/// Colour from a Color, a CSS colour string, or an [r, g, b(, a)] array.
std::optional<Color> color_of(Value const& v)
{
    if (auto c = v.as_color()) return *c;
    if (auto s = v.as_string()) return parse_color(*s);
    if (auto a = v.as_array(); a && (a->size() == 3 || a->size() == 4)) {
        double ch[4] = {0, 0, 0, 1};
        for (std::size_t i = 0; i < a->size(); ++i) {
            auto d = (*a)[i].as_number();
            if (!d) return std::nullopt;
            ch[i] = *d;
        }
        for (int i = 0; i < 3; ++i)
            if (!(ch[i] >= 0 && ch[i] <= 255)) return std::nullopt;
        if (!(ch[3] >= 0 && ch[3] <= 1)) return std::nullopt;
        return Color{static_cast<float>(ch[0] / 255), static_cast<float>(ch[1] / 255),
                     static_cast<float>(ch[2] / 255), static_cast<float>(ch[3])};
    }
    return std::nullopt;
}

Value Literal::evaluate(EvalContext const&) const { return m_value; }

Value Call::evaluate(EvalContext const& ctx) const { return m_fn(ctx, m_args); }

Value Assertion::evaluate(EvalContext const& ctx) const
{
    Value v;
    for (auto const& a : m_args) {
        v = a->evaluate(ctx);
        if (type_of(v) == type()) return v;
    }
    fail("expected value to be of type " + std::string(to_string(type())) + ", but found " +
         std::string(v.type_name()) + " instead");
}

Value ToColor::evaluate(EvalContext const& ctx) const
{
    Value v;
    for (auto const& a : m_args) {
        v = a->evaluate(ctx);
        if (auto c = color_of(v)) return *c;
    }
    fail("could not parse color from value " + describe(v));
}

Value Match::evaluate(EvalContext const& ctx) const
{
    Value in = m_input->evaluate(ctx);
    // An input of another type than the labels simply falls through.
    if (auto d = in.as_number()) {
        if (auto it = m_numbers.find(*d); it != m_numbers.end()) return m_outputs[it->second]->evaluate(ctx);
    } else if (auto s = in.as_string()) {
        if (auto it = m_strings.find(*s); it != m_strings.end()) return m_outputs[it->second]->evaluate(ctx);
    }
    return m_otherwise->evaluate(ctx);
}

double Interpolation::factor(double x, double lower, double upper) const noexcept
{
    double diff = upper - lower;
    double progress = x - lower;
    if (diff == 0) return 0;
    if (kind == exponential && base != 1) return (std::pow(base, progress) - 1) / (std::pow(base, diff) - 1);
    double t = progress / diff;
    return kind == cubic_bezier ? bezier(t) : t;
}

double Interpolation::bezier(double x) const noexcept
{
    double cx = 3 * x1, bx = 3 * (x2 - x1) - cx, ax = 1 - cx - bx;
    double cy = 3 * y1, by = 3 * (y2 - y1) - cy, ay = 1 - cy - by;
    auto sample_x = [&](double s) { return ((ax * s + bx) * s + cx) * s; };
    auto sample_y = [&](double s) { return ((ay * s + by) * s + cy) * s; };
    // Newton converges fast on typical easing curves; bisection is the safety net.
    double s = x;
    for (int i = 0; i < 8; ++i) {
        double err = sample_x(s) - x;
        if (std::fabs(err) < 1e-9) return sample_y(s);
        double slope = (3 * ax * s + 2 * bx) * s + cx;
        if (std::fabs(slope) < 1e-9) break;
        s -= err / slope;
    }
    double lo = 0, hi = 1;
    s = std::clamp(x, 0.0, 1.0);
    for (int i = 0; i < 60 && hi - lo > 1e-12; ++i) {
        double v = sample_x(s);
        if (std::fabs(v - x) < 1e-9) break;
        (v < x ? lo : hi) = s;
        s = (lo + hi) / 2;
    }
    return sample_y(s);
}

namespace {

Color lerp_color(Color a, Color b, double t) noexcept
{
    // Premultiplied, so fading in from `transparent` (black at alpha 0) does
    // not darken the colour on the way.
    double alpha = a.a + (b.a - a.a) * t;
    auto channel = [&](float ca, float cb) {
        double v = ca * a.a + (cb * b.a - ca * a.a) * t;
        return static_cast<float>(alpha > 0 ? std::clamp(v / alpha, 0.0, 1.0) : 0.0);
    };
    return {channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b), static_cast<float>(alpha)};
}

Value lerp(Value const& a, Value const& b, double t)
{
    if (a.is_number() && b.is_number()) {
        double x = *a.as_number(), y = *b.as_number();
        return x + (y - x) * t;
    }
    if (a.is_array() && b.is_array()) {
        auto const& x = *a.as_array();
        auto const& y = *b.as_array();
        if (x.size() != y.size())
            fail("cannot interpolate arrays of length " + std::to_string(x.size()) + " and " +
                 std::to_string(y.size()));
        ValueArray out;
        out.reserve(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) out.push_back(lerp(x[i], y[i], t));
        return out;
    }
    auto ca = color_of(a), cb = color_of(b);
    if (ca && cb && !a.is_array() && !b.is_array()) return lerp_color(*ca, *cb, t);
    fail("cannot interpolate between " + describe(a) + " and " + describe(b));
}

/// Largest i with stops[i] <= x, for x >= stops.front().
std::size_t stop_index(std::vector<double> const& stops, double x) noexcept
{
    auto it = std::upper_bound(stops.begin(), stops.end(), x);
    return static_cast<std::size_t>(it - stops.begin()) - 1;
}

} // namespace

Value Interpolate::evaluate(EvalContext const& ctx) const
{
    double x = number_of(m_input->evaluate(ctx));
    if (std::isnan(x)) fail("interpolate input is NaN");
    if (x <= m_stops.front()) return m_outputs.front()->evaluate(ctx);
    if (x >= m_stops.back()) return m_outputs.back()->evaluate(ctx);
    std::size_t i = stop_index(m_stops, x);
    double t = m_how.factor(x, m_stops[i], m_stops[i + 1]);
    return lerp(m_outputs[i]->evaluate(ctx), m_outputs[i + 1]->evaluate(ctx), t);
}

Value Step::evaluate(EvalContext const& ctx) const
{
    double x = number_of(m_input->evaluate(ctx));
    if (std::isnan(x)) fail("step input is NaN");
    return m_outputs[stop_index(m_stops, x)]->evaluate(ctx);
}

} // namespace detail
} // namespace sahelmap::style
