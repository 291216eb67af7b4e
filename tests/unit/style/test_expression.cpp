#include "sahelmap/style/expression.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace Catch {
template <> struct StringMaker<sahelmap::Value> {
    static std::string convert(sahelmap::Value const& v)
    {
        return std::string(v.type_name()) + " " + (v.is_string() ? "\"" + v.to_string() + "\"" : v.to_string());
    }
};
} // namespace Catch

using namespace sahelmap;
using namespace sahelmap::style;

namespace {

/// One feature for every evaluation test: a city in Mali.
struct TestFeature {
    Schema schema{{"name", "pop", "kind", "flag", "colour", "size", "nothing"}};
    std::vector<Value> values{Value("Ségou"), Value(130000), Value("city"), Value(true),
                              Value("#ff0000"), Value(4), Value()};
    FeatureRef ref() const { return {&schema, &values, 42, GeometryKind::point}; }
};

TestFeature const g_feature;

Value eval(std::string_view text, double zoom = 0, ExprType expected = ExprType::value)
{
    return parse_expression(text, expected)->evaluate({zoom, g_feature.ref()});
}

std::vector<std::string> problems(std::string_view text, ExprType expected = ExprType::value)
{
    try {
        parse_expression(text, expected, "x");
    } catch (StyleError const& e) {
        return e.problems();
    }
    return {};
}

bool near(Color a, Color b)
{
    auto close = [](float x, float y) { return std::fabs(x - y) < 0.002f; };
    return close(a.r, b.r) && close(a.g, b.g) && close(a.b, b.b) && close(a.a, b.a);
}

struct Case {
    char const* text;
    Value expected;
};

void check_cases(std::vector<Case> const& cases, double zoom = 0)
{
    for (auto const& c : cases) {
        CAPTURE(c.text);
        CHECK(eval(c.text, zoom) == c.expected);
    }
}

} // namespace

TEST_CASE("style: expression literals and feature lookups", "[style]")
{
    check_cases({
        {"5", Value(5)},
        {R"("a")", Value("a")},
        {"true", Value(true)},
        {"null", Value()},
        {R"(["literal", [1, "b"]])", Value(ValueArray{Value(1), Value("b")})},
        {R"(["literal", "x"])", Value("x")},
        {R"(["get", "name"])", Value("Ségou")},
        {R"(["get", "missing"])", Value()},
        {R"(["get", ["concat", "na", "me"]])", Value("Ségou")},
        {R"(["has", "pop"])", Value(true)},
        {R"(["has", "missing"])", Value(false)},
        {R"(["id"])", Value(42)},
        {R"(["geometry-type"])", Value("Point")},
        {R"(["at", 1, ["literal", ["a", "b"]]])", Value("b")},
    });
    CHECK(eval(R"(["zoom"])", 7.5) == Value(7.5));
}

TEST_CASE("style: expression lookups without a feature give null", "[style]")
{
    EvalContext no_feature{3, {}};
    CHECK(parse_expression(R"(["get", "name"])")->evaluate(no_feature).is_null());
    CHECK(parse_expression(R"(["id"])")->evaluate(no_feature).is_null());
    CHECK(parse_expression(R"(["geometry-type"])")->evaluate(no_feature).is_null());
    CHECK(parse_expression(R"(["has", "name"])")->evaluate(no_feature) == Value(false));
}

TEST_CASE("style: expression decisions", "[style]")
{
    check_cases({
        {R"(["match", ["get", "kind"], "city", 1, ["town", "village"], 2, 0])", Value(1)},
        {R"(["match", "village", "city", 1, ["town", "village"], 2, 0])", Value(2)},
        {R"(["match", ["get", "pop"], 130000, "big", "other"])", Value("big")},
        {R"(["match", ["get", "name"], 1, "one", "fallback"])", Value("fallback")},
        {R"(["case", ["==", ["get", "kind"], "town"], "t", [">", ["get", "pop"], 100000], "big", "small"])",
         Value("big")},
        {R"(["case", false, 1, 2])", Value(2)},
        {R"(["coalesce", ["get", "missing"], ["get", "nothing"], ["get", "name"]])", Value("Ségou")},
        {R"(["coalesce", ["get", "missing"], null])", Value()},
        {R"(["==", ["get", "pop"], 130000])", Value(true)},
        {R"(["==", ["get", "pop"], "130000"])", Value(false)}, // different run-time types
        {R"(["==", ["get", "missing"], null])", Value(true)},
        {R"(["!=", ["get", "kind"], "town"])", Value(true)},
        {R"(["<", ["get", "pop"], 200000])", Value(true)},
        {R"(["<=", 1, 1])", Value(true)},
        {R"([">", "b", "a"])", Value(true)},
        {R"([">=", 2, 3])", Value(false)},
        {R"(["all", true, ["has", "pop"]])", Value(true)},
        {R"(["all", true, false])", Value(false)},
        {R"(["all"])", Value(true)},
        {R"(["any", false, false])", Value(false)},
        {R"(["any", false, ["get", "flag"]])", Value(true)},
        {R"(["!", false])", Value(true)},
        {R"(["in", "city", ["literal", ["city", "town"]]])", Value(true)},
        {R"(["in", ["get", "kind"], ["literal", ["town"]]])", Value(false)},
        {R"(["in", "go", ["get", "name"]])", Value(true)},
    });
}

TEST_CASE("style: expression step", "[style]")
{
    auto e = parse_expression(R"(["step", ["zoom"], 1, 5, 2, 10, 3])");
    struct Stop {
        double zoom;
        double expected;
    };
    for (auto s : {Stop{0, 1}, Stop{4.99, 1}, Stop{5, 2}, Stop{7, 2}, Stop{10, 3}, Stop{22, 3}}) {
        CAPTURE(s.zoom);
        CHECK(e->evaluate({s.zoom, {}}) == Value(s.expected));
    }
}

TEST_CASE("style: expression strings and conversions", "[style]")
{
    check_cases({
        {R"(["concat", "a", 1, true, null, 2.5])", Value("a1true2.5")},
        {R"js(["concat", ["get", "name"], " (", ["get", "pop"], ")"])js", Value("Ségou (130000)")},
        {R"(["to-string", 1.5])", Value("1.5")},
        {R"(["to-string", null])", Value("")},
        {R"(["to-string", ["rgb", 255, 0, 0]])", Value("rgba(255,0,0,1)")},
        {R"(["to-number", "42"])", Value(42)},
        {R"(["to-number", " 1e3 "])", Value(1000)},
        {R"(["to-number", "x", 7])", Value(7)},
        {R"(["to-number", true])", Value(1)},
        {R"(["to-number", null])", Value(0)},
        {R"(["to-boolean", ""])", Value(false)},
        {R"(["to-boolean", "a"])", Value(true)},
        {R"(["to-boolean", 0])", Value(false)},
        {R"(["to-boolean", null])", Value(false)},
        {R"(["number", ["get", "name"], 3])", Value(3)},
        {R"(["string", ["get", "name"]])", Value("Ségou")},
        {R"(["boolean", ["get", "flag"]])", Value(true)},
        {R"(["upcase", ["get", "name"]])", Value("SÉGOU")},
        {R"(["downcase", "ÀBC Ŋ"])", Value("àbc ŋ")},
        {R"(["upcase", "ɗan ƙasa ɓ ɲ"])", Value("ƊAN ƘASA Ɓ Ɲ")},
        {R"(["length", "abc"])", Value(3)},
        {R"(["length", ["get", "name"]])", Value(5)},
        {R"(["length", ["literal", [1, 2, 3]]])", Value(3)},
    });
}

TEST_CASE("style: expression colours", "[style]")
{
    struct ColorCase {
        char const* text;
        Color expected;
    };
    ColorCase const cases[] = {
        {R"(["to-color", "red"])", {1, 0, 0, 1}},
        {R"(["to-color", "nope", "blue"])", {0, 0, 1, 1}},
        {R"(["to-color", ["get", "colour"]])", {1, 0, 0, 1}},
        {R"(["rgb", 0, 255, 0])", {0, 1, 0, 1}},
        {R"(["rgba", 255, 0, 0, 0.5])", {1, 0, 0, 0.5f}},
        {R"("#00f")", {0, 0, 1, 1}},
        {R"(["get", "colour"])", {1, 0, 0, 1}},
        {R"(["match", ["get", "kind"], "city", "red", "blue"])", {1, 0, 0, 1}},
    };
    for (auto const& c : cases) {
        CAPTURE(c.text);
        auto e = parse_expression(c.text, ExprType::color);
        CHECK(e->type() == ExprType::color);
        Value v = e->evaluate({0, g_feature.ref()});
        REQUIRE(v.is_color());
        CHECK(near(*v.as_color(), c.expected));
    }
}

TEST_CASE("style: expression arithmetic", "[style]")
{
    check_cases({
        {R"(["+", 1, 2, 3])", Value(6)},
        {R"(["-", 5])", Value(-5)},
        {R"(["-", 5, 2])", Value(3)},
        {R"(["*", 2, 3, 4])", Value(24)},
        {R"(["/", 7, 2])", Value(3.5)},
        {R"(["%", 7, 3])", Value(1)},
        {R"(["^", 2, 10])", Value(1024)},
        {R"(["min", 3, 1, 2])", Value(1)},
        {R"(["max", 3, 1, 2])", Value(3)},
        {R"(["abs", -2])", Value(2)},
        {R"(["round", 2.5])", Value(3)},
        {R"(["round", -2.5])", Value(-3)},
        {R"(["floor", 2.7])", Value(2)},
        {R"(["ceil", 2.1])", Value(3)},
        {R"(["/", ["get", "pop"], 1000])", Value(130)},
    });
}

TEST_CASE("style: expression run-time errors throw EvaluationError", "[style]")
{
    char const* const cases[] = {
        R"(["<", ["get", "name"], 5])",
        R"(["to-number", "x"])",
        R"(["to-color", "nope"])",
        R"(["number", ["get", "name"]])",
        R"(["rgb", 300, 0, 0])",
        R"(["rgba", 0, 0, 0, 2])",
        R"(["+", ["get", "name"], 1])",
        R"(["at", 5, ["literal", [1]]])",
        R"(["length", ["get", "pop"]])",
    };
    for (auto const* text : cases) {
        CAPTURE(text);
        auto e = parse_expression(text);
        CHECK_THROWS_AS(e->evaluate({0, g_feature.ref()}), EvaluationError);
    }
    CHECK_THROWS_WITH(eval(R"(["<", ["get", "name"], 5])"),
                      "expected arguments for \"<\" to be (string, string) or (number, number), but found "
                      "(string, number) instead");
}

TEST_CASE("style: expression zoom interpolation", "[style]")
{
    struct Point {
        char const* text;
        double zoom;
        double expected;
    };
    Point const cases[] = {
        {R"(["interpolate", ["linear"], ["zoom"], 0, 0, 10, 100])", 5, 50},
        {R"(["interpolate", ["linear"], ["zoom"], 0, 0, 10, 100])", 2.5, 25},
        {R"(["interpolate", ["linear"], ["zoom"], 0, 0, 10, 100])", -1, 0},
        {R"(["interpolate", ["linear"], ["zoom"], 0, 0, 10, 100])", 20, 100},
        {R"(["interpolate", ["linear"], ["zoom"], 0, 0, 10, 10, 20, 0])", 15, 5},
        {R"(["interpolate", ["linear"], ["zoom"], 5, 7])", 9, 7},
        // (2^5 - 1) / (2^10 - 1) of the way: 31 / 1023 * 1023.
        {R"(["interpolate", ["exponential", 2], ["zoom"], 0, 0, 10, 1023])", 5, 31},
        {R"(["interpolate", ["exponential", 2], ["zoom"], 0, 0, 10, 1023])", 1, 1},
        {R"(["interpolate", ["exponential", 2], ["zoom"], 0, 0, 10, 1023])", 10, 1023},
        // (2^1 - 1) / (2^2 - 1) = 1/3 of 0..3.
        {R"(["interpolate", ["exponential", 2], ["zoom"], 5, 0, 7, 3])", 6, 1},
        {R"(["interpolate", ["exponential", 1], ["zoom"], 0, 0, 10, 100])", 3, 30},
        {R"(["interpolate", ["cubic-bezier", 0, 0, 1, 1], ["zoom"], 0, 0, 10, 100])", 5, 50},
        {R"(["interpolate", ["linear"], ["get", "pop"], 0, 1, 200000, 11])", 0, 7.5},
    };
    for (auto const& c : cases) {
        CAPTURE(c.text, c.zoom);
        Value v = eval(c.text, c.zoom, ExprType::number);
        REQUIRE(v.is_number());
        CHECK(*v.as_number() == Approx(c.expected));
    }
}

TEST_CASE("style: expression interpolates colours and number arrays", "[style]")
{
    auto grey = parse_expression(R"(["interpolate", ["linear"], ["zoom"], 0, "#000000", 10, "white"])",
                                 ExprType::color);
    Value v = grey->evaluate({5, {}});
    REQUIRE(v.is_color());
    CHECK(near(*v.as_color(), {0.5f, 0.5f, 0.5f, 1}));

    auto fade = parse_expression(R"(["interpolate", ["linear"], ["zoom"], 0, "transparent", 10, "red"])",
                                 ExprType::color);
    v = fade->evaluate({5, {}});
    REQUIRE(v.is_color());
    CHECK(near(*v.as_color(), {1, 0, 0, 0.5f})); // premultiplied: no darkening on the way

    auto offset = parse_expression(
        R"(["interpolate", ["linear"], ["zoom"], 0, ["literal", [0, 0]], 10, ["literal", [2, 4]]])",
        ExprType::array);
    CHECK(offset->evaluate({5, {}}) == Value(ValueArray{Value(1), Value(2)}));
}

TEST_CASE("style: expression static types", "[style]")
{
    CHECK(parse_expression(R"(["get", "a"])")->type() == ExprType::value);
    CHECK(parse_expression(R"(["get", "a"])", ExprType::number)->type() == ExprType::number);
    CHECK(parse_expression(R"(["+", 1, 2])")->type() == ExprType::number);
    CHECK(parse_expression(R"(["==", 1, 2])")->type() == ExprType::boolean);
    CHECK(parse_expression(R"("red")")->type() == ExprType::string);
    CHECK(parse_expression(R"("red")", ExprType::color)->type() == ExprType::color);
    CHECK(parse_expression(R"(["case", true, "a", "b"])")->type() == ExprType::string);
    CHECK(parse_expression(R"(["literal", [1]])")->type() == ExprType::array);
    CHECK(to_string(ExprType::color) == "color");
}

TEST_CASE("style: expression zoom and feature dependence", "[style]")
{
    struct Dep {
        char const* text;
        bool zoom;
        bool feature;
    };
    Dep const cases[] = {
        {"5", false, false},
        {R"(["+", 1, 2])", false, false},
        {R"(["zoom"])", true, false},
        {R"(["get", "a"])", false, true},
        {R"(["has", "a"])", false, true},
        {R"(["id"])", false, true},
        {R"(["geometry-type"])", false, true},
        {R"(["step", ["zoom"], 1, 5, 2])", true, false},
        {R"(["case", ["has", "a"], 1, 2])", false, true},
        {R"(["match", 1, 1, ["zoom"], 2])", true, false},
        {R"(["interpolate", ["linear"], ["zoom"], 0, ["get", "a"], 10, 1])", true, true},
        {R"(["coalesce", ["get", "a"], 1])", false, true},
    };
    for (auto const& c : cases) {
        CAPTURE(c.text);
        auto e = parse_expression(c.text);
        CHECK(e->uses_zoom() == c.zoom);
        CHECK(e->uses_feature() == c.feature);
    }
}

TEST_CASE("style: expression parse errors name the path", "[style]")
{
    struct Bad {
        char const* text;
        ExprType expected;
        std::vector<std::string> messages;
    };
    auto const V = ExprType::value;
    auto const N = ExprType::number;
    Bad const cases[] = {
        {R"(["get"])", V, {R"(x: "get": expected 1 argument, got 0)"}},
        {R"(["get", "a", "b"])", V, {R"(x: "get": expected 1 argument, got 2)"}},
        {R"(["zoom", 1])", V, {R"(x: "zoom": expected 0 arguments, got 1)"}},
        {R"(["-", 1, 2, 3])", V, {R"(x: "-": expected 1 or 2 arguments, got 3)"}},
        {R"(["+", 1])", V, {R"(x: "+": expected at least 2 arguments, got 1)"}},
        {R"(["frobnicate", 1])", V,
         {R"(x[0]: unknown expression "frobnicate"; for a literal array use ["literal", [...]])"}},
        {R"([1, 2])", V,
         {R"(x[0]: expression name must be a string, got number; for a literal array use ["literal", [...]])"}},
        {R"([])", V, {R"(x: expected an array with at least one element; for a literal array use ["literal", []])"}},
        {R"({"a": 1})", N, {"x: expected number, got object"}},
        {R"(["+", 1, "a"])", N, {"x[2]: expected number, got string"}},
        {R"("a")", N, {"x: expected number, got string"}},
        {R"(["get", 5])", V, {"x[1]: expected string, got number"}},
        {R"(["all", ["+", 1, true], ["upcase", 5], ["has", "a"]])", ExprType::boolean,
         {"x[1][2]: expected number, got boolean", "x[2][1]: expected string, got number"}},
        {R"(["all", ["+", 1, 2]])", ExprType::boolean, {"x[1]: expected boolean, got number"}},
        {R"(["interpolate", ["linear"], ["zoom"], 5, 1, 3, 2])", N,
         {R"(x[5]: "interpolate" stop inputs must be in strictly ascending order (3 after 5))"}},
        {R"(["interpolate", ["linear"], ["zoom"], 5, 1, 5, 2])", N,
         {R"(x[5]: "interpolate" stop inputs must be in strictly ascending order (5 after 5))"}},
        {R"(["interpolate", ["linear"], ["zoom"], ["get", "a"], 1, 3, 2])", N,
         {R"(x[3]: "interpolate" stop inputs must be literal numbers, not array)"}},
        {R"(["interpolate", ["linear"], ["zoom"], 0, "a", 10, "b"])", V, {"x: type string is not interpolatable"}},
        {R"(["interpolate", ["cubic"], ["zoom"], 0, 1, 10, 2])", N, {R"(x[1]: unknown interpolation type "cubic")"}},
        {R"(["interpolate", ["exponential"], ["zoom"], 0, 1, 10, 2])", N,
         {R"(x[1]: "exponential" interpolation: expected 1 argument, got 0)"}},
        {R"(["interpolate", ["linear"], ["zoom"], 0, 1, 10])", N,
         {R"(x: "interpolate": expected an even number of arguments, got 5)"}},
        {R"(["step", ["zoom"], 1, 5, 2, 4, 3])", N,
         {R"(x[5]: "step" stop inputs must be in strictly ascending order (4 after 5))"}},
        {R"(["match", ["get", "a"], "x", 1])", V, {R"(x: "match": expected at least 4 arguments, got 3)"}},
        {R"(["match", ["get", "a"], "x", 1, "x", 2, 0])", V, {"x[4]: branch labels must be unique"}},
        {R"(["match", ["get", "a"], "x", 1, 2, 2, 0])", V, {"x[4]: expected string, got number"}},
        {R"(["match", ["get", "a"], 1.5, 1, 0])", V, {"x[2]: numeric branch labels must be integer values"}},
        {R"(["match", 5, "x", 1, 0])", V, {"x[1]: expected string, got number"}},
        {R"(["match", ["get", "a"], "x", 1, "y", "two", 0])", V, {"x[5]: expected number, got string"}},
        {R"(["case", true, 1, false, 2])", V, {R"(x: "case": expected an odd number of arguments, got 4)"}},
        {R"(["case", 1, 1, 2])", V, {"x[1]: expected boolean, got number"}},
        {R"(["==", 1, "a"])", V, {"x: cannot compare types number and string"}},
        {R"(["<", true, 1])", V, {R"(x[1]: "<" comparisons are not supported for type boolean)"}},
        {R"(["in", "a", 5])", V, {"x[2]: expected array or string, got number"}},
        {R"(["length", 5])", V, {"x[1]: expected string or array, got number"}},
        {R"("reed")", ExprType::color, {R"(x: could not parse color from value "reed")"}},
        {R"(["literal", {"a": 1}])", V, {"x[1]: object literals are not supported"}},
        {R"(["literal", 1, 2])", V, {R"(x: "literal": expected 1 argument, got 2)"}},
    };
    for (auto const& c : cases) {
        CAPTURE(c.text);
        CHECK(problems(c.text, c.expected) == c.messages);
    }
}

TEST_CASE("style: expression invalid JSON is a StyleError", "[style]")
{
    auto p = problems(R"(["get", )");
    REQUIRE(p.size() == 1);
    CHECK(p[0].rfind("x: invalid JSON: parse error at line 1, column 9", 0) == 0);
    CHECK_THROWS_AS(parse_expression("[1,"), StyleError);
}

TEST_CASE("style: absurdly nested expressions are refused, not a stack overflow", "[style]")
{
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += R"(["!", )";
    deep += "true";
    for (int i = 0; i < 100000; ++i) deep += "]";
    auto p = problems(deep, ExprType::boolean);
    REQUIRE(p.size() == 1);
    CHECK(p[0].find("expression nested more than 100 levels deep") != std::string::npos);

    std::string deep_literal = R"(["literal", )" + std::string(100000, '[') + std::string(100000, ']') + "]";
    CHECK(problems(deep_literal) ==
          std::vector<std::string>{"x[1]: literal arrays nested more than 100 levels deep"});

    std::string nested_ok = R"(["literal", )" + std::string(50, '[') + std::string(50, ']') + "]";
    CHECK(problems(nested_ok).empty());
}

TEST_CASE("style: expressions evaluate concurrently", "[style]")
{
    auto e = parse_expression(
        R"(["interpolate", ["exponential", 1.5], ["zoom"], 0, ["/", ["get", "pop"], 1000], 20, 1])",
        ExprType::number);
    std::vector<double> results(8);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] {
            double sum = 0;
            for (int i = 0; i < 2000; ++i) sum += *e->evaluate({static_cast<double>(i % 21), g_feature.ref()}).as_number();
            results[t] = sum;
        });
    for (auto& t : threads) t.join();
    for (double r : results) CHECK(r == results[0]);
}
