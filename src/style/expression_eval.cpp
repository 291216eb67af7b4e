// The evaluation functions of `Call` nodes, one per operator (or family).
#include "expression_nodes.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace sahelmap::style::detail {

namespace {

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

} // namespace

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

template Value eval_order<Order::less>(EvalContext const&, Args const&);
template Value eval_order<Order::less_equal>(EvalContext const&, Args const&);
template Value eval_order<Order::greater>(EvalContext const&, Args const&);
template Value eval_order<Order::greater_equal>(EvalContext const&, Args const&);

} // namespace sahelmap::style::detail
