// MapLibre-style expressions: the immutable node types, their evaluation, and
// the statically typed parser from JSON.
#include "sahelmap/style/expression.hpp"

#include "expression_parser.hpp"
#include "sahelmap/style/color_parse.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <optional>

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

namespace {

using json = detail::Json;
using Args = std::vector<ExpressionPtr>;

constexpr std::size_t k_any = std::numeric_limits<std::size_t>::max();

/// Deeper nesting is no real style, only a way to exhaust the stack of this
/// recursive parser; refused with an error instead.
constexpr int k_max_depth = 100;

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

// ---------------------------------------------------------------------------
// Run-time helpers. Static typing makes most of these checks redundant, but a
// `value`-typed argument (e.g. `get`) only reveals its type at run time.

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

/// JavaScript's ToNumber on strings, which `to-number` is specified by:
/// surrounding white space ignored, empty means 0, hex and Infinity allowed.
std::optional<double> string_to_number(std::string_view s)
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    if (s.empty()) return 0.0;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        double v = 0;
        for (char c : s.substr(2)) {
            int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                                : -1;
            if (d < 0) return std::nullopt;
            v = v * 16 + d;
        }
        return v;
    }
    double sign = 1;
    std::string_view body = s;
    if (body.front() == '+' || body.front() == '-') {
        sign = body.front() == '-' ? -1 : 1;
        body.remove_prefix(1);
    }
    if (body == "Infinity") return sign * std::numeric_limits<double>::infinity();
    // Only plain decimal syntax: strtod would also take "nan", "inf" and hex floats.
    bool digits = false, dot = false, exp = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits = true;
        } else if (c == '.' && !dot && !exp) {
            dot = true;
        } else if ((c == 'e' || c == 'E') && digits && !exp) {
            exp = true;
            digits = false;
            if (i + 1 < body.size() && (body[i + 1] == '+' || body[i + 1] == '-')) ++i;
        } else {
            return std::nullopt;
        }
    }
    if (!digits) return std::nullopt;
    return std::strtod(std::string(s).c_str(), nullptr);
}

// UTF-8 helpers for upcase/downcase and length.

/// Decodes one code point at `i`, advancing it; invalid bytes come back as themselves.
char32_t next_code_point(std::string_view s, std::size_t& i) noexcept
{
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len <= 1 || i + len > s.size()) {
        ++i;
        return c;
    }
    char32_t cp = c & (0x7f >> len);
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) {
            ++i;
            return c;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3f);
    }
    i += len;
    return cp;
}

void append_utf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

// Case pairs outside ASCII that Sahel place names need: French accents
// (Latin-1, Latin Extended-A) and the hooked letters of Hausa, Fula and
// Bambara (ɓ ɗ ƙ ƴ ɲ ɛ ɔ ŋ). Full Unicode case mapping is not worth a library here.
constexpr std::pair<char32_t, char32_t> k_case_pairs[] = {
    {0x181, 0x253}, {0x18a, 0x257}, {0x198, 0x199}, {0x1b3, 0x1b4},
    {0x19d, 0x272}, {0x190, 0x25b}, {0x186, 0x254}, {0x178, 0xff},
};

char32_t change_case(char32_t c, bool upper) noexcept
{
    if (upper) {
        if (c >= 'a' && c <= 'z') return c - 32;
        if (c >= 0xe0 && c <= 0xfe && c != 0xf7) return c - 32;
    } else {
        if (c >= 'A' && c <= 'Z') return c + 32;
        if (c >= 0xc0 && c <= 0xde && c != 0xd7) return c + 32;
    }
    // Latin Extended-A alternates upper/lower case in pairs, with the parity
    // flipping at the runs 0x139..0x148 and 0x179..0x17e; 0x130/0x131 (dotted
    // and dotless i) have no simple pair.
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e);
    bool paired = (c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) || odd_upper || (c >= 0x14a && c <= 0x177);
    if (paired) {
        bool is_upper = ((c & 1) == 1) == odd_upper;
        if (upper && !is_upper) return c - 1;
        if (!upper && is_upper) return c + 1;
        return c;
    }
    for (auto [u, l] : k_case_pairs) {
        if (upper && c == l) return u;
        if (!upper && c == u) return l;
    }
    return c;
}

std::string map_case(std::string_view s, bool upper)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) append_utf8(out, change_case(next_code_point(s, i), upper));
    return out;
}

/// String length as MapLibre (JavaScript) counts it: UTF-16 code units.
double utf16_length(std::string_view s) noexcept
{
    double n = 0;
    for (std::size_t i = 0; i < s.size();) n += next_code_point(s, i) >= 0x10000 ? 2 : 1;
    return n;
}

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

Deps merged(Deps d, Args const& args) noexcept
{
    d.add(args);
    return d;
}

class Literal final : public Expression {
public:
    explicit Literal(Value v) : Expression(type_of(v), false, false), m_value(std::move(v)) {}
    Value evaluate(EvalContext const&) const override { return m_value; }

private:
    Value m_value;
};

using EvalFn = Value (*)(EvalContext const&, Args const&);

/// Most operators are a function of their evaluated arguments; one node
/// type with a plain function pointer serves them all.
class Call final : public Expression {
public:
    Call(ExprType type, Args args, EvalFn fn, Deps own = {})
        : Expression(type, merged(own, args).zoom, merged(own, args).feature), m_args(std::move(args)), m_fn(fn)
    {
    }
    Value evaluate(EvalContext const& ctx) const override { return m_fn(ctx, m_args); }

private:
    Args m_args;
    EvalFn m_fn;
};

/// `number`, `string`, `boolean`, and the implicit check put around a
/// `value`-typed expression where a specific type is expected.
class Assertion final : public Expression {
public:
    Assertion(ExprType type, Args args)
        : Expression(type, merged({}, args).zoom, merged({}, args).feature), m_args(std::move(args))
    {
    }
    Value evaluate(EvalContext const& ctx) const override
    {
        Value v;
        for (auto const& a : m_args) {
            v = a->evaluate(ctx);
            if (type_of(v) == type()) return v;
        }
        fail("expected value to be of type " + std::string(to_string(type())) + ", but found " +
             std::string(v.type_name()) + " instead");
    }

private:
    Args m_args;
};

/// `to-color`, also put implicitly around strings where a colour is expected.
class ToColor final : public Expression {
public:
    explicit ToColor(Args args)
        : Expression(ExprType::color, merged({}, args).zoom, merged({}, args).feature), m_args(std::move(args))
    {
    }
    Value evaluate(EvalContext const& ctx) const override
    {
        Value v;
        for (auto const& a : m_args) {
            v = a->evaluate(ctx);
            if (auto c = color_of(v)) return *c;
        }
        fail("could not parse color from value " + describe(v));
    }

private:
    Args m_args;
};

class Match final : public Expression {
public:
    Match(ExprType type, Deps deps, ExpressionPtr input, std::map<double, std::size_t> numbers,
          std::map<std::string, std::size_t, std::less<>> strings, Args outputs, ExpressionPtr otherwise)
        : Expression(type, deps.zoom, deps.feature), m_input(std::move(input)), m_numbers(std::move(numbers)),
          m_strings(std::move(strings)), m_outputs(std::move(outputs)), m_otherwise(std::move(otherwise))
    {
    }
    Value evaluate(EvalContext const& ctx) const override
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

private:
    ExpressionPtr m_input;
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
    double factor(double x, double lower, double upper) const noexcept
    {
        double diff = upper - lower;
        double progress = x - lower;
        if (diff == 0) return 0;
        if (kind == exponential && base != 1)
            return (std::pow(base, progress) - 1) / (std::pow(base, diff) - 1);
        double t = progress / diff;
        return kind == cubic_bezier ? bezier(t) : t;
    }

private:
    /// y of the unit cubic Bézier (0,0),(x1,y1),(x2,y2),(1,1) at the given x.
    double bezier(double x) const noexcept
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
};

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

class Interpolate final : public Expression {
public:
    Interpolate(ExprType type, Deps deps, Interpolation how, ExpressionPtr input, std::vector<double> stops,
                Args outputs)
        : Expression(type, deps.zoom, deps.feature), m_how(how), m_input(std::move(input)),
          m_stops(std::move(stops)), m_outputs(std::move(outputs))
    {
    }
    Value evaluate(EvalContext const& ctx) const override
    {
        double x = number_of(m_input->evaluate(ctx));
        if (std::isnan(x)) fail("interpolate input is NaN");
        if (x <= m_stops.front()) return m_outputs.front()->evaluate(ctx);
        if (x >= m_stops.back()) return m_outputs.back()->evaluate(ctx);
        std::size_t i = stop_index(m_stops, x);
        double t = m_how.factor(x, m_stops[i], m_stops[i + 1]);
        return lerp(m_outputs[i]->evaluate(ctx), m_outputs[i + 1]->evaluate(ctx), t);
    }

private:
    Interpolation m_how;
    ExpressionPtr m_input;
    std::vector<double> m_stops;
    Args m_outputs;
};

class Step final : public Expression {
public:
    /// `stops[0]` is -infinity and stands for the output before the first stop.
    Step(ExprType type, Deps deps, ExpressionPtr input, std::vector<double> stops, Args outputs)
        : Expression(type, deps.zoom, deps.feature), m_input(std::move(input)), m_stops(std::move(stops)),
          m_outputs(std::move(outputs))
    {
    }
    Value evaluate(EvalContext const& ctx) const override
    {
        double x = number_of(m_input->evaluate(ctx));
        if (std::isnan(x)) fail("step input is NaN");
        return m_outputs[stop_index(m_stops, x)]->evaluate(ctx);
    }

private:
    ExpressionPtr m_input;
    std::vector<double> m_stops;
    Args m_outputs;
};

// ---------------------------------------------------------------------------
// Evaluation functions for Call nodes.

Value eval_get(EvalContext const& ctx, Args const& a)
{
    Value const* v = ctx.feature.get(string_of(a[0]->evaluate(ctx)));
    return v ? *v : Value{};
}

Value eval_has(EvalContext const& ctx, Args const& a)
{
    return ctx.feature.get(string_of(a[0]->evaluate(ctx))) != nullptr;
}

Value eval_id(EvalContext const& ctx, Args const&)
{
    if (!ctx.feature.schema) return {};
    return static_cast<double>(ctx.feature.fid);
}

Value eval_geometry_type(EvalContext const& ctx, Args const&)
{
    switch (ctx.feature.kind) {
    case GeometryKind::point: return "Point";
    case GeometryKind::line: return "LineString";
    case GeometryKind::polygon: return "Polygon";
    case GeometryKind::none: break;
    }
    return {};
}

Value eval_zoom(EvalContext const& ctx, Args const&) { return ctx.zoom; }
Value eval_heatmap_density(EvalContext const& ctx, Args const&) { return ctx.heatmap_density; }

Value eval_case(EvalContext const& ctx, Args const& a)
{
    for (std::size_t i = 0; i + 1 < a.size(); i += 2)
        if (boolean_of(a[i]->evaluate(ctx))) return a[i + 1]->evaluate(ctx);
    return a.back()->evaluate(ctx);
}

Value eval_coalesce(EvalContext const& ctx, Args const& a)
{
    Value v;
    for (auto const& e : a) {
        v = e->evaluate(ctx);
        if (!v.is_null()) return v;
    }
    return v;
}

Value eval_equal(EvalContext const& ctx, Args const& a) { return a[0]->evaluate(ctx) == a[1]->evaluate(ctx); }
Value eval_not_equal(EvalContext const& ctx, Args const& a) { return !(a[0]->evaluate(ctx) == a[1]->evaluate(ctx)); }

enum class Order { less, less_equal, greater, greater_equal };

constexpr std::string_view order_name(Order o) noexcept
{
    switch (o) {
    case Order::less: return "<";
    case Order::less_equal: return "<=";
    case Order::greater: return ">";
    case Order::greater_equal: return ">=";
    }
    return "<";
}

template <Order O, class T> bool ordered(T const& x, T const& y)
{
    if constexpr (O == Order::less) return x < y;
    if constexpr (O == Order::less_equal) return x <= y;
    if constexpr (O == Order::greater) return x > y;
    return x >= y;
}

template <Order O> Value eval_order(EvalContext const& ctx, Args const& a)
{
    Value x = a[0]->evaluate(ctx);
    Value y = a[1]->evaluate(ctx);
    if (x.is_number() && y.is_number()) return ordered<O>(*x.as_number(), *y.as_number());
    if (x.is_string() && y.is_string()) return ordered<O>(*x.as_string(), *y.as_string());
    fail("expected arguments for \"" + std::string(order_name(O)) + "\" to be (string, string) or (number, number), but found (" +
         std::string(x.type_name()) + ", " + std::string(y.type_name()) + ") instead");
}

Value eval_all(EvalContext const& ctx, Args const& a)
{
    for (auto const& e : a)
        if (!boolean_of(e->evaluate(ctx))) return false;
    return true;
}

Value eval_any(EvalContext const& ctx, Args const& a)
{
    for (auto const& e : a)
        if (boolean_of(e->evaluate(ctx))) return true;
    return false;
}

Value eval_not(EvalContext const& ctx, Args const& a) { return !boolean_of(a[0]->evaluate(ctx)); }

Value eval_in(EvalContext const& ctx, Args const& a)
{
    Value needle = a[0]->evaluate(ctx);
    Value haystack = a[1]->evaluate(ctx);
    if (needle.is_color() || needle.is_array())
        fail("expected first argument to be of type boolean, string, number or null, but found " +
             std::string(needle.type_name()) + " instead");
    if (auto s = haystack.as_string()) {
        // JavaScript's String.indexOf converts the needle to text first.
        std::string n = needle.is_null() ? "null" : needle.to_string();
        return s->find(n) != std::string::npos;
    }
    if (auto arr = haystack.as_array()) return std::find(arr->begin(), arr->end(), needle) != arr->end();
    fail("expected second argument to be of type array or string, but found " + std::string(haystack.type_name()) +
         " instead");
}

Value eval_concat(EvalContext const& ctx, Args const& a)
{
    std::string out;
    for (auto const& e : a) out += e->evaluate(ctx).to_string();
    return out;
}

Value eval_to_string(EvalContext const& ctx, Args const& a) { return a[0]->evaluate(ctx).to_string(); }

Value eval_to_number(EvalContext const& ctx, Args const& a)
{
    Value v;
    for (auto const& e : a) {
        v = e->evaluate(ctx);
        if (v.is_null()) return 0.0;
        if (auto b = v.as_bool()) return *b ? 1.0 : 0.0;
        if (auto d = v.as_number()) return *d;
        if (auto s = v.as_string())
            if (auto d2 = string_to_number(*s)) return *d2;
    }
    fail("could not convert " + describe(v) + " to number");
}

Value eval_to_boolean(EvalContext const& ctx, Args const& a)
{
    Value v = a[0]->evaluate(ctx);
    if (v.is_null()) return false;
    if (auto b = v.as_bool()) return *b;
    if (auto d = v.as_number()) return *d != 0 && !std::isnan(*d);
    if (auto s = v.as_string()) return !s->empty();
    return true;
}

Value eval_upcase(EvalContext const& ctx, Args const& a) { return map_case(string_of(a[0]->evaluate(ctx)), true); }
Value eval_downcase(EvalContext const& ctx, Args const& a)
{
    return map_case(string_of(a[0]->evaluate(ctx)), false);
}

Value eval_length(EvalContext const& ctx, Args const& a)
{
    Value v = a[0]->evaluate(ctx);
    if (auto s = v.as_string()) return utf16_length(*s);
    if (auto arr = v.as_array()) return static_cast<double>(arr->size());
    fail("expected value to be of type string or array, but found " + std::string(v.type_name()) + " instead");
}

Value eval_at(EvalContext const& ctx, Args const& a)
{
    double i = number_of(a[0]->evaluate(ctx));
    Value v = a[1]->evaluate(ctx);
    auto arr = v.as_array();
    if (!arr) fail("expected value to be of type array, but found " + std::string(v.type_name()) + " instead");
    if (!(i >= 0) || i != std::floor(i) || i >= static_cast<double>(arr->size()))
        fail("array index out of bounds: " + Value(i).to_string() + " > " + std::to_string(arr->size()) + " - 1");
    return (*arr)[static_cast<std::size_t>(i)];
}

Value eval_rgba(EvalContext const& ctx, Args const& a)
{
    double ch[4] = {0, 0, 0, 1};
    for (std::size_t i = 0; i < a.size(); ++i) ch[i] = number_of(a[i]->evaluate(ctx));
    auto text = [&] {
        std::string s = "[";
        for (std::size_t i = 0; i < a.size(); ++i) s += (i ? ", " : "") + Value(ch[i]).to_string();
        return s + "]";
    };
    for (int i = 0; i < 3; ++i)
        if (!(ch[i] >= 0 && ch[i] <= 255))
            fail("invalid rgba value " + text() + ": 'r', 'g', and 'b' must be between 0 and 255");
    if (!(ch[3] >= 0 && ch[3] <= 1)) fail("invalid rgba value " + text() + ": 'a' must be between 0 and 1");
    return Color{static_cast<float>(ch[0] / 255), static_cast<float>(ch[1] / 255), static_cast<float>(ch[2] / 255),
                 static_cast<float>(ch[3])};
}

template <class F> Value fold_numbers(EvalContext const& ctx, Args const& a, F f)
{
    double acc = number_of(a[0]->evaluate(ctx));
    for (std::size_t i = 1; i < a.size(); ++i) acc = f(acc, number_of(a[i]->evaluate(ctx)));
    return acc;
}

Value eval_add(EvalContext const& ctx, Args const& a)
{
    return fold_numbers(ctx, a, [](double x, double y) { return x + y; });
}
Value eval_multiply(EvalContext const& ctx, Args const& a)
{
    return fold_numbers(ctx, a, [](double x, double y) { return x * y; });
}
Value eval_subtract(EvalContext const& ctx, Args const& a)
{
    if (a.size() == 1) return -number_of(a[0]->evaluate(ctx));
    return fold_numbers(ctx, a, [](double x, double y) { return x - y; });
}
Value eval_divide(EvalContext const& ctx, Args const& a)
{
    return fold_numbers(ctx, a, [](double x, double y) { return x / y; });
}
Value eval_modulo(EvalContext const& ctx, Args const& a)
{
    return fold_numbers(ctx, a, [](double x, double y) { return std::fmod(x, y); });
}
Value eval_power(EvalContext const& ctx, Args const& a)
{
    return fold_numbers(ctx, a, [](double x, double y) { return std::pow(x, y); });
}
Value eval_min(EvalContext const& ctx, Args const& a)
{
    return fold_numbers(ctx, a, [](double x, double y) { return std::fmin(x, y); });
}
Value eval_max(EvalContext const& ctx, Args const& a)
{
    return fold_numbers(ctx, a, [](double x, double y) { return std::fmax(x, y); });
}
Value eval_abs(EvalContext const& ctx, Args const& a) { return std::fabs(number_of(a[0]->evaluate(ctx))); }
// MapLibre rounds halfway values away from zero, which is std::round.
Value eval_round(EvalContext const& ctx, Args const& a) { return std::round(number_of(a[0]->evaluate(ctx))); }
Value eval_floor(EvalContext const& ctx, Args const& a) { return std::floor(number_of(a[0]->evaluate(ctx))); }
Value eval_ceil(EvalContext const& ctx, Args const& a) { return std::ceil(number_of(a[0]->evaluate(ctx))); }

// ---------------------------------------------------------------------------
// Parser.

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

class Parser;

/// One operator call being parsed: `node` is the whole JSON array, whose
/// element 0 is the operator name; argument i is node[i].
struct Site {
    Parser& parser;
    json const& node;
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
    ExpressionPtr parse(json const& node, ExprType expected, std::string const& path)
    {
        return parse_nested(node, expected, path, true);
    }

    /// Like parse(), but a `value`-typed result is left unchecked; what
    /// `coalesce` needs so that `["coalesce", ["get", "x"], 0]` can skip nulls.
    ExpressionPtr parse_unchecked(json const& node, ExprType expected, std::string const& path)
    {
        return parse_nested(node, expected, path, false);
    }

private:
    ExpressionPtr parse_nested(json const& node, ExprType expected, std::string const& path, bool check_values)
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
    ExpressionPtr parse_untyped(json const& node, ExprType expected, std::string const& path);
    ExpressionPtr annotate(ExpressionPtr e, ExprType expected, std::string const& path, bool check_values);

    std::vector<std::string>& m_errors;
    int m_depth = 0;
};

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

bool is_one_of(ExprType t, std::initializer_list<ExprType> allowed)
{
    return std::find(allowed.begin(), allowed.end(), t) != allowed.end();
}

ExpressionPtr make_call(ExprType type, std::optional<Args> args, EvalFn fn, Deps own = {})
{
    if (!args) return nullptr;
    return std::make_shared<Call>(type, std::move(*args), fn, own);
}

/// Operators that take a fixed signature of one argument type.
template <ExprType Result, ExprType Arg, std::size_t Min, std::size_t Max, EvalFn Fn>
ExpressionPtr parse_simple(Site const& s)
{
    if (!s.arity(Min, Max)) return nullptr;
    return make_call(Result, s.parse_from(1, Arg), Fn);
}

template <ExprType Result, EvalFn Fn, bool Zoom, bool Feature> ExpressionPtr parse_nullary(Site const& s)
{
    if (!s.arity(0, 0)) return nullptr;
    return std::make_shared<Call>(Result, Args{}, Fn, Deps{Zoom, Feature});
}

ExpressionPtr parse_literal(Site const& s)
{
    if (!s.arity(1, 1)) return nullptr;
    Value v;
    std::string why;
    if (!to_value(s.node[1], v, 0, why)) {
        s.error(s.at(1), why);
        return nullptr;
    }
    return std::make_shared<Literal>(std::move(v));
}

ExpressionPtr parse_feature_lookup(Site const& s, EvalFn fn, ExprType result)
{
    if (!s.arity(1, 1)) return nullptr;
    return make_call(result, s.parse_from(1, ExprType::string), fn, Deps{false, true});
}

ExpressionPtr parse_get(Site const& s) { return parse_feature_lookup(s, eval_get, ExprType::value); }
ExpressionPtr parse_has(Site const& s) { return parse_feature_lookup(s, eval_has, ExprType::boolean); }

/// Parses a branch output; the first one fixes the output type when the
/// context did not, as MapLibre does.
ExpressionPtr parse_output(Site const& s, std::size_t i, ExprType& out_type)
{
    auto e = s.parse(i, out_type);
    if (e && out_type == ExprType::value) out_type = e->type();
    return e;
}

ExpressionPtr parse_case(Site const& s)
{
    if (s.argc() < 3) {
        s.error(s.path, in_quotes(s.op) + ": expected at least 3 arguments, got " + std::to_string(s.argc()));
        return nullptr;
    }
    if (s.argc() % 2 == 0) {
        s.error(s.path, in_quotes(s.op) + ": expected an odd number of arguments, got " + std::to_string(s.argc()));
        return nullptr;
    }
    ExprType out_type = s.expected;
    Args args;
    bool ok = true;
    for (std::size_t i = 1; i + 1 < s.node.size(); i += 2) {
        args.push_back(s.parse(i, ExprType::boolean));
        ok = ok && args.back();
        args.push_back(parse_output(s, i + 1, out_type));
        ok = ok && args.back();
    }
    args.push_back(parse_output(s, s.node.size() - 1, out_type));
    ok = ok && args.back();
    if (!ok) return nullptr;
    return std::make_shared<Call>(out_type, std::move(args), eval_case);
}

ExpressionPtr parse_match(Site const& s)
{
    if (s.argc() < 4) {
        s.error(s.path, in_quotes(s.op) + ": expected at least 4 arguments, got " + std::to_string(s.argc()));
        return nullptr;
    }
    if (s.argc() % 2 != 0) {
        s.error(s.path, in_quotes(s.op) + ": expected an even number of arguments, got " + std::to_string(s.argc()));
        return nullptr;
    }
    auto input = s.parse(1, ExprType::value);
    bool ok = input != nullptr;
    ExprType label_type = ExprType::value;
    std::map<double, std::size_t> numbers;
    std::map<std::string, std::size_t, std::less<>> strings;
    ExprType out_type = s.expected;
    Args outputs;
    Deps deps;
    deps.add(input);

    for (std::size_t i = 2; i + 1 < s.node.size(); i += 2) {
        std::size_t branch = outputs.size();
        json const& labels = s.node[i];
        auto add_label = [&](json const& label) {
            ExprType t = label.is_number() ? ExprType::number : label.is_string() ? ExprType::string : ExprType::value;
            if (t == ExprType::value) {
                s.error(s.at(i), "branch labels must be numbers or strings");
                return false;
            }
            if (label_type != ExprType::value && t != label_type) {
                s.error(s.at(i), "expected " + std::string(to_string(label_type)) + ", got " +
                                     std::string(to_string(t)));
                return false;
            }
            label_type = t;
            bool fresh = true;
            if (t == ExprType::number) {
                double d = label.get<double>();
                if (d != std::floor(d)) {
                    s.error(s.at(i), "numeric branch labels must be integer values");
                    return false;
                }
                fresh = numbers.emplace(d, branch).second;
            } else {
                fresh = strings.emplace(label.get<std::string>(), branch).second;
            }
            if (!fresh) s.error(s.at(i), "branch labels must be unique");
            return fresh;
        };
        if (labels.is_array()) {
            if (labels.empty()) {
                s.error(s.at(i), "expected at least one branch label");
                ok = false;
            }
            for (auto const& l : labels) ok = add_label(l) && ok;
        } else {
            ok = add_label(labels) && ok;
        }
        outputs.push_back(parse_output(s, i + 1, out_type));
        ok = ok && outputs.back();
        deps.add(outputs.back());
    }
    auto otherwise = parse_output(s, s.node.size() - 1, out_type);
    ok = ok && otherwise;
    deps.add(otherwise);
    if (input && input->type() != ExprType::value && label_type != ExprType::value && input->type() != label_type) {
        s.error(s.at(1), "expected " + std::string(to_string(label_type)) + ", got " +
                             std::string(to_string(input->type())));
        ok = false;
    }
    if (!ok) return nullptr;
    return std::make_shared<Match>(out_type, deps, std::move(input), std::move(numbers), std::move(strings),
                                   std::move(outputs), std::move(otherwise));
}

ExpressionPtr parse_coalesce(Site const& s)
{
    if (!s.arity(1, k_any)) return nullptr;
    ExprType out_type = s.expected;
    Args args;
    bool ok = true;
    for (std::size_t i = 1; i < s.node.size(); ++i) {
        args.push_back(s.parser.parse_unchecked(s.node[i], out_type, s.at(i)));
        ok = ok && args.back();
        if (args.back() && out_type == ExprType::value) out_type = args.back()->type();
    }
    if (!ok) return nullptr;
    return std::make_shared<Call>(out_type, std::move(args), eval_coalesce);
}

/// Both operands of a comparison have an allowed type, and the same one
/// unless either is only known at run time; reports each problem.
bool comparable(Site const& s, Args const& args, std::initializer_list<ExprType> allowed)
{
    bool ok = true;
    for (std::size_t i = 0; i < 2; ++i) {
        ExprType t = args[i]->type();
        if (!is_one_of(t, allowed)) {
            s.error(s.at(i + 1), in_quotes(s.op) + " comparisons are not supported for type " + std::string(to_string(t)));
            ok = false;
        }
    }
    ExprType lt = args[0]->type(), rt = args[1]->type();
    if (ok && lt != ExprType::value && rt != ExprType::value && lt != rt) {
        s.error(s.path, "cannot compare types " + std::string(to_string(lt)) + " and " + std::string(to_string(rt)));
        ok = false;
    }
    return ok;
}

template <bool Equal> ExpressionPtr parse_equality(Site const& s)
{
    if (!s.arity(2, 2)) return nullptr;
    auto args = s.parse_from(1, ExprType::value);
    if (!args) return nullptr;
    if (!comparable(s, *args, {ExprType::string, ExprType::number, ExprType::boolean, ExprType::null, ExprType::value}))
        return nullptr;
    return make_call(ExprType::boolean, std::move(args), Equal ? eval_equal : eval_not_equal);
}

template <Order O> ExpressionPtr parse_order(Site const& s)
{
    if (!s.arity(2, 2)) return nullptr;
    auto args = s.parse_from(1, ExprType::value);
    if (!args) return nullptr;
    if (!comparable(s, *args, {ExprType::string, ExprType::number, ExprType::value})) return nullptr;
    return make_call(ExprType::boolean, std::move(args), eval_order<O>);
}

ExpressionPtr parse_in(Site const& s)
{
    if (!s.arity(2, 2)) return nullptr;
    auto args = s.parse_from(1, ExprType::value);
    if (!args) return nullptr;
    ExprType needle = (*args)[0]->type(), haystack = (*args)[1]->type();
    bool ok = true;
    if (!is_one_of(needle, {ExprType::boolean, ExprType::string, ExprType::number, ExprType::null, ExprType::value})) {
        s.error(s.at(1), "expected boolean, string, number or null, got " + std::string(to_string(needle)));
        ok = false;
    }
    if (!is_one_of(haystack, {ExprType::string, ExprType::array, ExprType::value})) {
        s.error(s.at(2), "expected array or string, got " + std::string(to_string(haystack)));
        ok = false;
    }
    if (!ok) return nullptr;
    return make_call(ExprType::boolean, std::move(args), eval_in);
}

ExpressionPtr parse_length(Site const& s)
{
    if (!s.arity(1, 1)) return nullptr;
    auto arg = s.parse(1, ExprType::value);
    if (!arg) return nullptr;
    if (!is_one_of(arg->type(), {ExprType::string, ExprType::array, ExprType::value})) {
        s.error(s.at(1), "expected string or array, got " + std::string(to_string(arg->type())));
        return nullptr;
    }
    return std::make_shared<Call>(ExprType::number, Args{std::move(arg)}, eval_length);
}

ExpressionPtr parse_at(Site const& s)
{
    if (!s.arity(2, 2)) return nullptr;
    auto index = s.parse(1, ExprType::number);
    auto array = s.parse(2, ExprType::array);
    if (!index || !array) return nullptr;
    return std::make_shared<Call>(ExprType::value, Args{std::move(index), std::move(array)}, eval_at);
}

template <ExprType T> ExpressionPtr parse_assertion(Site const& s)
{
    if (!s.arity(1, k_any)) return nullptr;
    auto args = s.parse_from(1, ExprType::value);
    if (!args) return nullptr;
    return std::make_shared<Assertion>(T, std::move(*args));
}

ExpressionPtr parse_to_color(Site const& s)
{
    if (!s.arity(1, k_any)) return nullptr;
    auto args = s.parse_from(1, ExprType::value);
    if (!args) return nullptr;
    return std::make_shared<ToColor>(std::move(*args));
}

/// Reads the stop inputs of interpolate/step: literal numbers, strictly ascending.
bool read_stop(Site const& s, std::size_t i, std::vector<double>& stops)
{
    if (!s.node[i].is_number()) {
        s.error(s.at(i), in_quotes(s.op) + " stop inputs must be literal numbers, not " +
                             std::string(s.node[i].type_name()));
        return false;
    }
    double x = s.node[i].get<double>();
    if (!stops.empty() && !(x > stops.back())) {
        s.error(s.at(i), in_quotes(s.op) + " stop inputs must be in strictly ascending order (" + Value(x).to_string() +
                             " after " + Value(stops.back()).to_string() + ")");
        return false;
    }
    stops.push_back(x);
    return true;
}

bool check_stop_count(Site const& s)
{
    if (s.argc() < 4) {
        s.error(s.path, in_quotes(s.op) + ": expected at least 4 arguments, got " + std::to_string(s.argc()));
        return false;
    }
    if (s.argc() % 2 != 0) {
        s.error(s.path, in_quotes(s.op) + ": expected an even number of arguments, got " + std::to_string(s.argc()));
        return false;
    }
    return true;
}

std::optional<Interpolation> read_interpolation(Site const& s)
{
    json const& n = s.node[1];
    std::string where = s.at(1);
    if (!n.is_array() || n.empty() || !n[0].is_string()) {
        s.error(where, "expected an interpolation type such as [\"linear\"] or [\"exponential\", 2]");
        return std::nullopt;
    }
    auto name = n[0].get<std::string>();
    auto numbers = [&](std::size_t count) -> std::optional<std::vector<double>> {
        if (n.size() != count + 1) {
            s.error(where, in_quotes(name) + " interpolation: expected " + count_text(count) + ", got " +
                               std::to_string(n.size() - 1));
            return std::nullopt;
        }
        std::vector<double> out;
        for (std::size_t i = 1; i < n.size(); ++i) {
            if (!n[i].is_number()) {
                s.error(where + "[" + std::to_string(i) + "]", "expected number, got " + std::string(n[i].type_name()));
                return std::nullopt;
            }
            out.push_back(n[i].get<double>());
        }
        return out;
    };
    Interpolation how;
    if (name == "linear") {
        if (!numbers(0)) return std::nullopt;
    } else if (name == "exponential") {
        auto v = numbers(1);
        if (!v) return std::nullopt;
        how.kind = Interpolation::exponential;
        how.base = (*v)[0];
    } else if (name == "cubic-bezier") {
        auto v = numbers(4);
        if (!v) return std::nullopt;
        how.kind = Interpolation::cubic_bezier;
        how.x1 = (*v)[0];
        how.y1 = (*v)[1];
        how.x2 = (*v)[2];
        how.y2 = (*v)[3];
        if (how.x1 < 0 || how.x1 > 1 || how.x2 < 0 || how.x2 > 1) {
            s.error(where, "cubic-bezier x control points must lie between 0 and 1");
            return std::nullopt;
        }
    } else {
        s.error(where, "unknown interpolation type " + in_quotes(name));
        return std::nullopt;
    }
    return how;
}

ExpressionPtr parse_interpolate(Site const& s)
{
    if (!check_stop_count(s)) return nullptr;
    auto how = read_interpolation(s);
    auto input = s.parse(2, ExprType::number);
    bool ok = how && input;
    auto interpolatable = [](ExprType t) { return is_one_of(t, {ExprType::number, ExprType::color, ExprType::array}); };
    if (s.expected != ExprType::value && !interpolatable(s.expected)) {
        s.error(s.path, "type " + std::string(to_string(s.expected)) + " is not interpolatable");
        return nullptr;
    }
    ExprType out_type = s.expected;
    std::vector<double> stops;
    Args outputs;
    Deps deps;
    deps.add(input);
    for (std::size_t i = 3; i + 1 < s.node.size(); i += 2) {
        ok = read_stop(s, i, stops) && ok;
        outputs.push_back(parse_output(s, i + 1, out_type));
        ok = ok && outputs.back();
        deps.add(outputs.back());
    }
    if (ok && !interpolatable(out_type)) {
        s.error(s.path, "type " + std::string(to_string(out_type)) + " is not interpolatable");
        return nullptr;
    }
    if (!ok) return nullptr;
    return std::make_shared<Interpolate>(out_type, deps, *how, std::move(input), std::move(stops),
                                         std::move(outputs));
}

ExpressionPtr parse_step(Site const& s)
{
    if (!check_stop_count(s)) return nullptr;
    auto input = s.parse(1, ExprType::number);
    bool ok = input != nullptr;
    ExprType out_type = s.expected;
    std::vector<double> stops{-std::numeric_limits<double>::infinity()};
    Args outputs{parse_output(s, 2, out_type)};
    ok = ok && outputs.back();
    Deps deps;
    deps.add(input);
    deps.add(outputs.back());
    for (std::size_t i = 3; i + 1 < s.node.size(); i += 2) {
        ok = read_stop(s, i, stops) && ok;
        outputs.push_back(parse_output(s, i + 1, out_type));
        ok = ok && outputs.back();
        deps.add(outputs.back());
    }
    if (!ok) return nullptr;
    return std::make_shared<Step>(out_type, deps, std::move(input), std::move(stops), std::move(outputs));
}

struct OperatorDef {
    std::string_view name;
    ExpressionPtr (*parse)(Site const&);
};

constexpr ExprType N = ExprType::number;
constexpr ExprType S = ExprType::string;
constexpr ExprType B = ExprType::boolean;
constexpr ExprType C = ExprType::color;
constexpr ExprType V = ExprType::value;

constexpr OperatorDef k_operators[] = {
    {"literal", parse_literal},
    {"get", parse_get},
    {"has", parse_has},
    {"id", parse_nullary<V, eval_id, false, true>},
    {"geometry-type", parse_nullary<S, eval_geometry_type, false, true>},
    {"zoom", parse_nullary<N, eval_zoom, true, false>},
    // Varies per sample like feature data, so it is never folded into a constant.
    {"heatmap-density", parse_nullary<N, eval_heatmap_density, false, true>},
    {"at", parse_at},
    {"length", parse_length},
    {"match", parse_match},
    {"case", parse_case},
    {"coalesce", parse_coalesce},
    {"step", parse_step},
    {"interpolate", parse_interpolate},
    {"==", parse_equality<true>},
    {"!=", parse_equality<false>},
    {"<", parse_order<Order::less>},
    {"<=", parse_order<Order::less_equal>},
    {">", parse_order<Order::greater>},
    {">=", parse_order<Order::greater_equal>},
    {"all", parse_simple<B, B, 0, k_any, eval_all>},
    {"any", parse_simple<B, B, 0, k_any, eval_any>},
    {"!", parse_simple<B, B, 1, 1, eval_not>},
    {"in", parse_in},
    {"number", parse_assertion<N>},
    {"string", parse_assertion<S>},
    {"boolean", parse_assertion<B>},
    {"to-string", parse_simple<S, V, 1, 1, eval_to_string>},
    {"to-number", parse_simple<N, V, 1, k_any, eval_to_number>},
    {"to-boolean", parse_simple<B, V, 1, 1, eval_to_boolean>},
    {"to-color", parse_to_color},
    {"concat", parse_simple<S, V, 1, k_any, eval_concat>},
    {"upcase", parse_simple<S, S, 1, 1, eval_upcase>},
    {"downcase", parse_simple<S, S, 1, 1, eval_downcase>},
    {"+", parse_simple<N, N, 2, k_any, eval_add>},
    {"*", parse_simple<N, N, 2, k_any, eval_multiply>},
    {"-", parse_simple<N, N, 1, 2, eval_subtract>},
    {"/", parse_simple<N, N, 2, 2, eval_divide>},
    {"%", parse_simple<N, N, 2, 2, eval_modulo>},
    {"^", parse_simple<N, N, 2, 2, eval_power>},
    {"min", parse_simple<N, N, 1, k_any, eval_min>},
    {"max", parse_simple<N, N, 1, k_any, eval_max>},
    {"abs", parse_simple<N, N, 1, 1, eval_abs>},
    {"round", parse_simple<N, N, 1, 1, eval_round>},
    {"floor", parse_simple<N, N, 1, 1, eval_floor>},
    {"ceil", parse_simple<N, N, 1, 1, eval_ceil>},
    {"rgb", parse_simple<C, N, 3, 3, eval_rgba>},
    {"rgba", parse_simple<C, N, 4, 4, eval_rgba>},
};

OperatorDef const* find_operator(std::string_view name) noexcept
{
    for (auto const& def : k_operators)
        if (def.name == name) return &def;
    return nullptr;
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
    auto def = find_operator(op);
    if (!def) {
        error(path + "[0]", "unknown expression " + in_quotes(op) + "; for a literal array use [\"literal\", [...]]");
        return nullptr;
    }
    return def->parse(Site{*this, node, op, expected, path});
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

} // namespace

namespace detail {

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
