// The parsers of the expression operators, one per operator (or family),
// and the table of operator names: each checks its argument count and
// static types, and builds its node from expression_nodes.hpp.
#include "expression_operators.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace sahelmap::style::detail {

namespace {

using json = Json;

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

/// `match`, `interpolate` and `step` take their input and pairs after one
/// argument of their own: at least 4 arguments, an even number of them.
bool check_pair_count(Site const& s)
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

ExpressionPtr parse_match(Site const& s)
{
    if (!check_pair_count(s)) return nullptr;
    auto input = s.parse(1, ExprType::value);
    bool ok = input != nullptr;
    ExprType label_type = ExprType::value;
    std::map<double, std::size_t> numbers;
    std::map<std::string, std::size_t, std::less<>> strings;
    std::vector<std::vector<Value>> arms; // the labels again, in order, for introspection
    std::vector<bool> listed;             // …and whether each arm's were written as an array
    ExprType out_type = s.expected;
    Args outputs;
    Deps deps;
    deps.add(input);

    for (std::size_t i = 2; i + 1 < s.node.size(); i += 2) {
        std::size_t branch = outputs.size();
        json const& labels = s.node[i];
        auto& arm = arms.emplace_back();
        listed.push_back(labels.is_array());
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
                arm.emplace_back(d);
            } else {
                fresh = strings.emplace(label.get<std::string>(), branch).second;
                arm.emplace_back(label.get<std::string>());
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
    return std::make_shared<Match>(out_type, deps, std::move(input), std::move(arms), std::move(listed),
                                   std::move(numbers), std::move(strings), std::move(outputs), std::move(otherwise));
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
    return std::make_shared<Assertion>(T, std::move(*args), true);
}

ExpressionPtr parse_to_color(Site const& s)
{
    if (!s.arity(1, k_any)) return nullptr;
    auto args = s.parse_from(1, ExprType::value);
    if (!args) return nullptr;
    return std::make_shared<ToColor>(std::move(*args), true);
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
    if (!check_pair_count(s)) return nullptr;
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
    if (!check_pair_count(s)) return nullptr;
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

} // namespace

OperatorParser find_operator(std::string_view name) noexcept
{
    for (auto const& def : k_operators)
        if (def.name == name) return def.parse;
    return nullptr;
}

} // namespace sahelmap::style::detail
