// The introspection API on parsed expressions and styles: what the legend
// and the QGIS export ask of a style instead of reading its JSON.
#include "sahelmap/style/introspection.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace sahelmap;
using namespace sahelmap::style;

namespace {

/// A value as the tables below write it: strings bare, numbers with %g.
std::string text(Value const& v)
{
    if (auto const* s = v.as_string()) return *s;
    return v.to_string();
}

std::vector<std::string> texts(std::vector<Value> const& values)
{
    std::vector<std::string> out;
    for (auto const& v : values) out.push_back(text(v));
    return out;
}

/// "field: label label | label -> output, …; otherwise" for each match, so a
/// table row states the whole reading in one string.
std::string describe(FieldMatch const& m)
{
    std::string out = m.field + ":";
    for (auto const& arm : m.arms) {
        out += " [";
        for (std::size_t i = 0; i < arm.labels.size(); ++i) out += (i ? " " : "") + text(arm.labels[i]);
        auto const output = literal_value(*arm.output);
        out += "]->" + (output ? text(*output) : std::string("expr"));
    }
    auto const otherwise = literal_value(*m.otherwise);
    return out + " else " + (otherwise ? text(*otherwise) : std::string("expr"));
}

std::string describe(FieldConstraint const& c)
{
    char const* relation = c.relation == Relation::equal      ? "=="
                           : c.relation == Relation::at_least ? ">="
                           : c.relation == Relation::at_most  ? "<="
                                                              : "in";
    std::string out = c.field + " " + relation;
    for (auto const& v : c.values) out += " " + text(v);
    return out;
}

} // namespace

TEST_CASE("field_matches finds every match on a field, in document order", "[style][introspection]")
{
    struct Case {
        char const* expression;
        std::vector<std::string> matches;
    };
    Case const cases[] = {
        {R"(["match", ["get", "actor"], "wagner", "red", ["germany", "france"], "blue", "grey"])",
         {"actor: [wagner]->red [germany france]->blue else grey"}},
        {R"(["match", ["get", "strength"], [5, 1], 10, 3, 20, 0])", {"strength: [5 1]->10 [3]->20 else 0"}},
        // An outer match before those in its outputs; a case's branches in order.
        {R"(["match", ["get", "kind"], "base", ["match", ["get", "actor"], "wagner", "W", "?"], "-"])",
         {"kind: [base]->expr else -", "actor: [wagner]->W else ?"}},
        {R"(["case", ["has", "x"], ["match", ["get", "kind"], "a", "A", "B"],
                     ["match", ["get", "status"], "active", "C", "D"]])",
         {"kind: [a]->A else B", "status: [active]->C else D"}},
        // Inside other operators (concat, upcase), still found.
        {R"(["concat", ["upcase", ["match", ["get", "actor"], "un", "UN", "other"]], "!"])",
         {"actor: [un]->UN else other"}},
        // A match whose input is no plain field is not one; its outputs still count.
        {R"(["match", ["to-string", ["get", "k"]], "a", ["match", ["get", "j"], "b", "B", "C"], "D"])",
         {"j: [b]->B else C"}},
        {R"(["get", "name"])", {}},
        {R"("constant")", {}},
    };
    for (auto const& c : cases) {
        INFO(c.expression);
        std::vector<std::string> got;
        for (auto const& m : field_matches(*parse_expression(c.expression))) got.push_back(describe(m));
        CHECK(got == c.matches);
    }
}

TEST_CASE("FieldMatch::labels lists every arm's labels in document order", "[style][introspection]")
{
    auto const matches = field_matches(
        *parse_expression(R"(["match", ["get", "actor"], ["wagner", "africa_corps"], 1, "france", 2, 0])"));
    REQUIRE(matches.size() == 1);
    CHECK(texts(matches.front().labels()) == std::vector<std::string>{"wagner", "africa_corps", "france"});
}

TEST_CASE("constraints lists the field comparisons a filter pins", "[style][introspection]")
{
    struct Case {
        char const* filter;
        std::vector<std::string> constraints;
    };
    Case const cases[] = {
        {R"(["==", ["get", "kind"], "forward_base"])", {"kind == forward_base"}},
        {R"(["==", ["get", "strength"], 3])", {"strength == 3"}},
        {R"([">=", ["get", "strength"], 3])", {"strength >= 3"}},
        {R"(["<=", ["get", "strength"], 4])", {"strength <= 4"}},
        {R"(["in", ["get", "actor"], ["literal", ["wagner", "france"]]])", {"actor in wagner france"}},
        {R"(["all", ["==", ["get", "kind"], "a"], ["all", [">=", ["get", "s"], 1], ["<=", ["get", "s"], 5]],
                    ["in", ["get", "actor"], ["literal", ["un"]]]])",
         {"kind == a", "s >= 1", "s <= 5", "actor in un"}},
        // Operands of all that pin nothing are left out, the others kept.
        {R"(["all", ["has", "name"], ["==", ["get", "status"], "active"]])", {"status == active"}},
        // What pins nothing.
        {R"(["any", ["==", ["get", "kind"], "a"], ["==", ["get", "kind"], "b"]])", {}},
        {R"(["!", ["==", ["get", "kind"], "a"]])", {}},
        {R"(["!=", ["get", "kind"], "a"])", {}},
        {R"([">", ["get", "strength"], 3])", {}},
        {R"(["<", ["get", "strength"], 3])", {}},
        {R"(["==", ["get", "a"], ["get", "b"]])", {}},
        {R"(["==", ["to-string", ["get", "a"]], "1"])", {}},
        {R"(["in", ["get", "actor"], ["literal", []]])", {}},
        {R"(["in", "a", ["get", "letters"]])", {}},
        {"true", {}},
    };
    for (auto const& c : cases) {
        INFO(c.filter);
        std::vector<std::string> got;
        for (auto const& k : constraints(*parse_expression(c.filter, ExprType::boolean))) got.push_back(describe(k));
        CHECK(got == c.constraints);
    }
}

TEST_CASE("as_constraint reads one comparison, not an all of them", "[style][introspection]")
{
    auto const one = as_constraint(*parse_expression(R"(["==", ["get", "kind"], "a"])", ExprType::boolean));
    REQUIRE(one);
    CHECK(describe(*one) == "kind == a");
    CHECK_FALSE(as_constraint(*parse_expression(R"(["all", ["==", ["get", "kind"], "a"]])", ExprType::boolean)));
}

TEST_CASE("as_ramp reads an interpolate's input and stops", "[style][introspection]")
{
    struct Case {
        char const* expression;
        bool ramp;
        std::vector<double> stops;
        std::vector<std::string> input_fields;
    };
    Case const cases[] = {
        {R"(["interpolate", ["linear"], ["get", "score"], 0, 0.1, 1, 0.8])", true, {0, 1}, {"score"}},
        {R"(["interpolate", ["exponential", 2], ["*", ["get", "a"], ["get", "b"]], 2, 1, 4, 2, 8, 3])",
         true,
         {2, 4, 8},
         {"a", "b"}},
        {R"(["interpolate", ["linear"], ["zoom"], 4, 1, 8, 2])", true, {4, 8}, {}},
        {R"(["step", ["get", "score"], 0, 1, 0.5])", false, {}, {}},
        {R"(["get", "score"])", false, {}, {}},
    };
    for (auto const& c : cases) {
        INFO(c.expression);
        auto const ramp = as_ramp(*parse_expression(c.expression, ExprType::number));
        REQUIRE(ramp.has_value() == c.ramp);
        if (!ramp) continue;
        CHECK(ramp->stops == c.stops);
        CHECK(ramp->outputs.size() == c.stops.size());
        CHECK(fields_read(*ramp->input) == c.input_fields);
    }
}

TEST_CASE("get_field, fields_read and literal_value", "[style][introspection]")
{
    struct Case {
        char const* expression;
        std::optional<std::string> field;
        std::vector<std::string> read;
        std::optional<std::string> literal;
    };
    Case const cases[] = {
        {R"(["get", "name"])", "name", {"name"}, std::nullopt},
        {R"(["has", "name"])", std::nullopt, {}, std::nullopt},
        {R"(["get", ["concat", "na", "me"]])", std::nullopt, {}, std::nullopt},
        {R"(["concat", ["get", "a"], " ", ["get", "b"], ["get", "a"]])", std::nullopt, {"a", "b"}, std::nullopt},
        {R"(["case", ["==", ["get", "c"], 1], ["get", "d"], "x"])", std::nullopt, {"c", "d"}, std::nullopt},
        {R"("plain")", std::nullopt, {}, "plain"},
        {R"(["literal", "quoted"])", std::nullopt, {}, "quoted"},
        {"12", std::nullopt, {}, "12"},
    };
    for (auto const& c : cases) {
        INFO(c.expression);
        auto const e = parse_expression(c.expression);
        CHECK(get_field(*e) == c.field);
        CHECK(fields_read(*e) == c.read);
        auto const literal = literal_value(*e);
        CHECK((literal ? std::optional<std::string>(text(*literal)) : std::nullopt) == c.literal);
    }
}

namespace {

std::string const g_style = R"json({
  "version": 8,
  "sources": {"sahel": {"type": "vector"}},
  "layers": [
    {"id": "bg", "type": "background", "paint": {"background-color": "#eee"}},
    {"id": "sites", "type": "symbol", "source": "sahel", "source-layer": "sites",
     "filter": ["==", ["get", "kind"], "base"],
     "layout": {"text-field": ["get", "name"], "icon-image": "circle", "icon-size": 1.5,
                "text-size": ["interpolate", ["linear"], ["zoom"], 4, 10, 8, 14]},
     "paint": {"icon-color": ["match", ["get", "actor"], "wagner", "#000", "#888"]}},
    {"id": "rivers", "type": "line", "source": "sahel", "source-layer": "rivers",
     "paint": {"line-color": "#00f", "line-width": ["get", "width"]}}
  ]
})json";

} // namespace

TEST_CASE("property_expressions names each property that is an expression", "[style][introspection]")
{
    auto const style = Style::parse("test", g_style, {"sites", "rivers"});
    struct Case {
        std::size_t layer;
        std::vector<std::string> properties; ///< "section name"
    };
    Case const cases[] = {
        {0, {}},
        // Constants (icon-image, icon-size, line-color) are not listed; the
        // order is the specification's, layout before paint for symbols.
        {1, {"layout text-field", "layout text-size", "paint icon-color"}},
        {2, {"paint line-width"}},
    };
    REQUIRE(style);
    for (auto const& c : cases) {
        INFO(style->layers()[c.layer].id);
        std::vector<std::string> got;
        for (auto const& p : property_expressions(style->layers()[c.layer])) {
            CHECK(p.expression);
            got.push_back(std::string(p.section == PropertySection::layout ? "layout " : "paint ") +
                          std::string(p.name));
        }
        CHECK(got == c.properties);
    }
}

TEST_CASE("Style::subset keeps the typed layers it is asked for", "[style][introspection]")
{
    auto const style = Style::parse("test", g_style, {"sites", "rivers"});
    struct Case {
        char const* keep; ///< the source layer kept, "" for the background
        std::vector<std::string> ids;
    };
    Case const cases[] = {{"sites", {"sites"}}, {"rivers", {"rivers"}}, {"", {"bg"}}, {"roads", {}}};
    for (auto const& c : cases) {
        INFO(c.keep);
        auto const sub = style->subset([&](StyleLayer const& l) { return l.source_layer == c.keep; });
        if (c.ids.empty()) {
            CHECK(sub == nullptr);
            continue;
        }
        REQUIRE(sub);
        std::vector<std::string> ids;
        for (auto const& l : sub->layers()) ids.push_back(l.id);
        CHECK(ids == c.ids);
        // The kept layers are the parsed ones, sharing their expressions.
        for (auto const& kept : sub->layers())
            for (auto const& l : style->layers())
                if (l.id == kept.id) CHECK(kept.filter == l.filter);
        CHECK(sub->id() == style->id());
    }
}

TEST_CASE("operator_name names what the style wrote", "[style][introspection]")
{
    struct Case {
        char const* expression;
        ExprType expected;
        char const* name;
    };
    Case const cases[] = {
        {R"(["get", "x"])", ExprType::value, "get"},
        {R"("text")", ExprType::value, "literal"},
        {R"(["literal", [1, 2]])", ExprType::value, "literal"},
        {R"(["zoom"])", ExprType::value, "zoom"},
        {R"([">=", ["get", "x"], 1])", ExprType::value, ">="},
        {R"(["<", ["get", "x"], 1])", ExprType::value, "<"},
        {R"(["match", ["get", "x"], "a", 1, 0])", ExprType::value, "match"},
        {R"(["step", ["get", "x"], 0, 1, 2])", ExprType::value, "step"},
        {R"(["interpolate", ["linear"], ["zoom"], 1, 2, 3, 4])", ExprType::value, "interpolate"},
        {R"(["rgb", 1, 2, 3])", ExprType::value, "rgb"},
        {R"(["rgba", 1, 2, 3, 0.5])", ExprType::value, "rgba"},
        {R"(["number", ["get", "x"]])", ExprType::value, "number"},
        {R"(["to-color", ["get", "x"]])", ExprType::value, "to-color"},
        {R"(["to-string", ["get", "x"]])", ExprType::value, "to-string"},
        // The check the parser puts around a value where a number is wanted is no operator of the style's.
        {R"(["get", "x"])", ExprType::number, ""},
        {R"(["get", "x"])", ExprType::color, ""},
    };
    for (auto const& c : cases) {
        INFO(c.expression << " as " << to_string(c.expected));
        auto const e = parse_expression(c.expression, c.expected);
        CHECK(operator_name(*e) == c.name);
        if (std::string_view(c.name).empty()) {
            // …whose one operand is what was written.
            auto const inner = operands(*e);
            REQUIRE(inner.size() == 1);
            CHECK(operator_name(*inner.front()) == "get");
        }
    }
}

TEST_CASE("operands lists the operands in document order", "[style][introspection]")
{
    struct Case {
        char const* expression;
        std::vector<std::string> operands; ///< each operand's operator
    };
    Case const cases[] = {
        {R"(["concat", ["get", "a"], "-", ["zoom"]])", {"get", "literal", "zoom"}},
        {R"(["case", ["has", "a"], ["get", "a"], "none"])", {"has", "get", "literal"}},
        {R"(["match", ["get", "k"], "a", ["get", "x"], "b", 2, ["zoom"]])", {"get", "get", "literal", "zoom"}},
        {R"(["step", ["zoom"], ["get", "a"], 5, "b"])", {"zoom", "get", "literal"}},
        {R"(["interpolate", ["linear"], ["zoom"], 1, 10, 5, 20])", {"zoom", "literal", "literal"}},
        {R"("x")", {}},
    };
    for (auto const& c : cases) {
        INFO(c.expression);
        auto const e = parse_expression(c.expression); // the operands are views into it
        std::vector<std::string> got;
        for (auto const* o : operands(*e)) got.emplace_back(operator_name(*o));
        CHECK(got == c.operands);
    }
}

TEST_CASE("as_match, as_step and as_ramp read their operator's parts", "[style][introspection]")
{
    auto const m = as_match(*parse_expression(R"(["match", ["to-string", ["get", "k"]], ["a"], 1, "b", 2, 0])"));
    REQUIRE(m);
    CHECK(operator_name(*m->input) == "to-string");
    REQUIRE(m->arms.size() == 2);
    CHECK(m->arms[0].listed); // ["a"] is a list of one label, "b" a label
    CHECK_FALSE(m->arms[1].listed);
    CHECK(texts(m->arms[1].labels) == std::vector<std::string>{"b"});
    CHECK(literal_value(*m->otherwise) == Value(0));
    CHECK_FALSE(as_match(*parse_expression(R"(["get", "k"])")));

    auto const s = as_step(*parse_expression(R"(["step", ["zoom"], 1, 5, 2, 8, 3])", ExprType::number));
    REQUIRE(s);
    CHECK(operator_name(*s->input) == "zoom");
    CHECK(s->stops == std::vector<double>{5, 8});
    REQUIRE(s->outputs.size() == 3);
    CHECK(literal_value(*s->outputs[0]) == Value(1));
    CHECK(literal_value(*s->outputs[2]) == Value(3));
    CHECK_FALSE(as_step(*parse_expression(R"(["interpolate", ["linear"], ["zoom"], 1, 2, 3, 4])")));

    CHECK(as_ramp(*parse_expression(R"(["interpolate", ["linear"], ["zoom"], 1, 2, 3, 4])"))->linear);
    CHECK_FALSE(as_ramp(*parse_expression(R"(["interpolate", ["exponential", 2], ["zoom"], 1, 2, 3, 4])"))->linear);
    CHECK_FALSE(
        as_ramp(*parse_expression(R"(["interpolate", ["cubic-bezier", 0, 0, 1, 1], ["zoom"], 1, 2, 3, 4])"))->linear);
}
