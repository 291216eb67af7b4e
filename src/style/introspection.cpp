// Reading the parsed expression trees back as the shapes their callers ask
// about (a match on a field, a field pinned to values), so no caller needs
// the JSON the tree came from.
#include "sahelmap/style/introspection.hpp"

#include "expression_nodes.hpp"

#include <algorithm>

namespace sahelmap::style {

namespace {

using detail::Args;
using detail::Call;

void collect_matches(Expression const& e, std::vector<FieldMatch>& out)
{
    if (auto const* m = dynamic_cast<detail::Match const*>(&e))
        if (auto field = get_field(*m->input())) {
            FieldMatch fm{std::move(*field), {}, m->otherwise()};
            for (std::size_t i = 0; i < m->outputs().size(); ++i)
                fm.arms.push_back({m->labels()[i], m->listed()[i], m->outputs()[i]});
            out.push_back(std::move(fm));
        }
    for (auto const* child : operands(e)) collect_matches(*child, out);
}

void collect_fields(Expression const& e, std::vector<std::string>& out)
{
    if (auto field = get_field(e)) {
        if (std::find(out.begin(), out.end(), *field) == out.end()) out.push_back(std::move(*field));
        return;
    }
    for (auto const* child : operands(e)) collect_fields(*child, out);
}

void collect_constraints(Expression const& e, std::vector<FieldConstraint>& out)
{
    if (auto c = as_constraint(e)) {
        out.push_back(std::move(*c));
        return;
    }
    if (auto const* call = dynamic_cast<Call const*>(&e); call && call->fn() == detail::eval_all)
        for (auto const& operand : call->args()) collect_constraints(*operand, out);
}

struct CallName {
    detail::EvalFn fn;
    std::string_view name;
};

// The operators whose node is a Call, by their evaluation function; `rgb`
// and `rgba` share one and are told apart by their operand count.
CallName const k_call_names[] = {
    {detail::eval_get, "get"},
    {detail::eval_has, "has"},
    {detail::eval_id, "id"},
    {detail::eval_geometry_type, "geometry-type"},
    {detail::eval_zoom, "zoom"},
    {detail::eval_heatmap_density, "heatmap-density"},
    {detail::eval_at, "at"},
    {detail::eval_length, "length"},
    {detail::eval_case, "case"},
    {detail::eval_coalesce, "coalesce"},
    {detail::eval_equal, "=="},
    {detail::eval_not_equal, "!="},
    {detail::eval_order<detail::Order::less>, "<"},
    {detail::eval_order<detail::Order::less_equal>, "<="},
    {detail::eval_order<detail::Order::greater>, ">"},
    {detail::eval_order<detail::Order::greater_equal>, ">="},
    {detail::eval_all, "all"},
    {detail::eval_any, "any"},
    {detail::eval_not, "!"},
    {detail::eval_in, "in"},
    {detail::eval_to_string, "to-string"},
    {detail::eval_to_number, "to-number"},
    {detail::eval_to_boolean, "to-boolean"},
    {detail::eval_concat, "concat"},
    {detail::eval_upcase, "upcase"},
    {detail::eval_downcase, "downcase"},
    {detail::eval_add, "+"},
    {detail::eval_multiply, "*"},
    {detail::eval_subtract, "-"},
    {detail::eval_divide, "/"},
    {detail::eval_modulo, "%"},
    {detail::eval_power, "^"},
    {detail::eval_min, "min"},
    {detail::eval_max, "max"},
    {detail::eval_abs, "abs"},
    {detail::eval_round, "round"},
    {detail::eval_floor, "floor"},
    {detail::eval_ceil, "ceil"},
};

} // namespace

std::vector<Expression const*> operands(Expression const& e)
{
    std::vector<Expression const*> out;
    auto add = [&](ExpressionPtr const& p) {
        if (p) out.push_back(p.get());
    };
    auto add_all = [&](Args const& args) {
        for (auto const& a : args) add(a);
    };
    if (auto const* c = dynamic_cast<Call const*>(&e)) {
        add_all(c->args());
    } else if (auto const* a = dynamic_cast<detail::Assertion const*>(&e)) {
        add_all(a->args());
    } else if (auto const* t = dynamic_cast<detail::ToColor const*>(&e)) {
        add_all(t->args());
    } else if (auto const* m = dynamic_cast<detail::Match const*>(&e)) {
        add(m->input());
        add_all(m->outputs());
        add(m->otherwise());
    } else if (auto const* i = dynamic_cast<detail::Interpolate const*>(&e)) {
        add(i->input());
        add_all(i->outputs());
    } else if (auto const* s = dynamic_cast<detail::Step const*>(&e)) {
        add(s->input());
        add_all(s->outputs());
    }
    return out;
}

std::string_view operator_name(Expression const& e)
{
    if (dynamic_cast<detail::Literal const*>(&e)) return "literal";
    if (auto const* c = dynamic_cast<Call const*>(&e)) {
        if (c->fn() == detail::eval_rgba) return c->args().size() == 3 ? "rgb" : "rgba";
        for (auto const& [fn, name] : k_call_names)
            if (fn == c->fn()) return name;
        return {};
    }
    if (auto const* a = dynamic_cast<detail::Assertion const*>(&e)) {
        if (!a->written()) return {};
        return a->type() == ExprType::number ? "number" : a->type() == ExprType::string ? "string" : "boolean";
    }
    if (auto const* t = dynamic_cast<detail::ToColor const*>(&e)) return t->written() ? "to-color" : "";
    if (dynamic_cast<detail::Match const*>(&e)) return "match";
    if (dynamic_cast<detail::Interpolate const*>(&e)) return "interpolate";
    if (dynamic_cast<detail::Step const*>(&e)) return "step";
    return {};
}

std::optional<Match> as_match(Expression const& e)
{
    auto const* m = dynamic_cast<detail::Match const*>(&e);
    if (!m) return std::nullopt;
    Match out{m->input(), {}, m->otherwise()};
    for (std::size_t i = 0; i < m->outputs().size(); ++i)
        out.arms.push_back({m->labels()[i], m->listed()[i], m->outputs()[i]});
    return out;
}

std::optional<Steps> as_step(Expression const& e)
{
    auto const* s = dynamic_cast<detail::Step const*>(&e);
    if (!s) return std::nullopt;
    // The node keeps -infinity before its first stop; the style wrote none.
    return Steps{s->input(), std::vector<double>(s->stops().begin() + 1, s->stops().end()), s->outputs()};
}

std::vector<Value> FieldMatch::labels() const
{
    std::vector<Value> out;
    for (auto const& arm : arms) out.insert(out.end(), arm.labels.begin(), arm.labels.end());
    return out;
}

std::vector<FieldMatch> field_matches(Expression const& e)
{
    std::vector<FieldMatch> out;
    collect_matches(e, out);
    return out;
}

std::optional<FieldConstraint> as_constraint(Expression const& e)
{
    auto const* call = dynamic_cast<Call const*>(&e);
    if (!call || call->args().size() != 2) return std::nullopt;
    auto field = get_field(*call->args()[0]);
    auto value = literal_value(*call->args()[1]);
    if (!field || !value) return std::nullopt;
    auto const fn = call->fn();
    std::optional<Relation> relation;
    if (fn == detail::eval_equal)
        relation = Relation::equal;
    else if (fn == detail::eval_order<detail::Order::greater_equal>)
        relation = Relation::at_least;
    else if (fn == detail::eval_order<detail::Order::less_equal>)
        relation = Relation::at_most;
    if (relation) {
        if (value->is_array()) return std::nullopt;
        return FieldConstraint{std::move(*field), *relation, {std::move(*value)}};
    }
    if (fn == detail::eval_in)
        if (auto const* list = value->as_array(); list && !list->empty())
            return FieldConstraint{std::move(*field), Relation::one_of, *list};
    return std::nullopt;
}

std::vector<FieldConstraint> constraints(Expression const& filter)
{
    std::vector<FieldConstraint> out;
    collect_constraints(filter, out);
    return out;
}

std::optional<Ramp> as_ramp(Expression const& e)
{
    auto const* i = dynamic_cast<detail::Interpolate const*>(&e);
    if (!i) return std::nullopt;
    return Ramp{i->how().kind == detail::Interpolation::linear, i->input(), i->stops(), i->outputs()};
}

std::optional<std::string> get_field(Expression const& e)
{
    auto const* call = dynamic_cast<Call const*>(&e);
    if (!call || call->fn() != detail::eval_get || call->args().size() != 1) return std::nullopt;
    auto name = literal_value(*call->args()[0]);
    if (!name || !name->is_string()) return std::nullopt;
    return *name->as_string();
}

std::vector<std::string> fields_read(Expression const& e)
{
    std::vector<std::string> out;
    collect_fields(e, out);
    return out;
}

std::optional<Value> literal_value(Expression const& e)
{
    if (auto const* l = dynamic_cast<detail::Literal const*>(&e)) return l->value();
    return std::nullopt;
}

} // namespace sahelmap::style
