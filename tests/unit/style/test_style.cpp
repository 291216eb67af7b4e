#include "sahelmap/style/style.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace sahelmap;
using namespace sahelmap::style;

namespace {

std::vector<std::string> const g_data_layers{"countries", "rivers", "sites"};

/// The problems a style reports, or none if it parses.
std::vector<std::string> problems(std::string const& text)
{
    try {
        Style::parse("test", text, g_data_layers);
    } catch (StyleError const& e) {
        return e.problems();
    }
    return {};
}

/// A complete style around the given layers (a JSON array body).
std::string with_layers(std::string const& layers)
{
    return R"({"version": 8, "sources": {"sahel": {"type": "vector"}}, "layers": [)" + layers + "]}";
}

std::string const g_good_style = R"json({
  "version": 8,
  "name": "Test style",
  "metadata": {"sahelmap:attribution": "© Sahel data", "maputnik:renderer": "mlgljs"},
  "center": [0, 15], "zoom": 4, "bearing": 0, "pitch": 0,
  "glyphs": "https://example.org/{fontstack}/{range}.pbf",
  "sources": {"sahel": {"type": "vector", "url": "https://example.org/tiles.json"},
              "extra": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
  "layers": [
    {"id": "bg", "type": "background", "paint": {"background-color": "#f8f4f0", "background-opacity": 0.9}},
    {"id": "countries", "type": "fill", "source": "sahel", "source-layer": "countries", "metadata": {"x": 1},
     "paint": {"fill-color": "rgba(0, 0, 255, 0.5)", "fill-outline-color": "black",
               "fill-opacity-transition": {"duration": 300}}},
    {"id": "rivers", "type": "line", "source": "sahel", "source-layer": "rivers", "minzoom": 3, "maxzoom": 18,
     "layout": {"line-cap": "round", "line-join": "bevel"},
     "paint": {"line-width": ["interpolate", ["linear"], ["zoom"], 0, 1, 10, 5], "line-dasharray": [2, 1],
               "line-color": "#0000ff"}},
    {"id": "sites", "type": "circle", "source": "sahel", "source-layer": "sites",
     "filter": ["==", ["get", "kind"], "city"],
     "paint": {"circle-radius": ["get", "size"], "circle-color": ["match", ["get", "kind"], "city", "red", "blue"],
               "circle-stroke-width": 1}},
    {"id": "labels", "type": "symbol", "source": "sahel", "source-layer": "sites",
     "layout": {"text-field": ["get", "name"], "text-font": ["Noto Sans Regular", "DejaVu Sans Book"],
                "text-size": 12, "text-offset": [0, 1], "text-anchor": "top", "text-transform": "uppercase",
                "symbol-placement": "line-center", "symbol-sort-key": ["get", "pop"], "visibility": "none"},
     "paint": {"text-color": "#333", "text-halo-width": 1, "text-halo-color": "white"}}
  ]
})json";

struct Site {
    Schema schema{{"name", "pop", "kind", "size"}};
    std::vector<Value> values{Value("Ségou"), Value(130000), Value("city"), Value(7)};
    FeatureRef ref() const { return {&schema, &values, 1, GeometryKind::point}; }
};

} // namespace

TEST_CASE("style: a good style with every layer type parses", "[style]")
{
    auto style = Style::parse("good", g_good_style, g_data_layers);
    REQUIRE(style);
    CHECK(style->id() == "good");
    CHECK(style->name() == "Test style");
    CHECK(style->json() == g_good_style);
    CHECK(style->attribution() == "© Sahel data");
    CHECK(style->fonts() == std::vector<std::string>{"Noto Sans Regular", "DejaVu Sans Book"});

    auto const& layers = style->layers();
    REQUIRE(layers.size() == 5);
    CHECK(layers[0].type == LayerType::background);
    CHECK(layers[1].type == LayerType::fill);
    CHECK(layers[2].type == LayerType::line);
    CHECK(layers[3].type == LayerType::circle);
    CHECK(layers[4].type == LayerType::symbol);
    CHECK(to_string(layers[4].type) == "symbol");

    auto const& bg = std::get<BackgroundLayer>(layers[0].props);
    CHECK(bg.color.is_constant());
    CHECK(bg.opacity.constant() == 0.9);

    auto const& fill = std::get<FillLayer>(layers[1].props);
    CHECK(layers[1].source == "sahel");
    CHECK(layers[1].source_layer == "countries");
    CHECK(fill.color.constant() == Color{0, 0, 1, 0.5f});
    CHECK(fill.has_outline);
    CHECK(fill.outline_color.constant() == Color{0, 0, 0, 1});

    auto const& line = std::get<LineLayer>(layers[2].props);
    CHECK(layers[2].minzoom == 3);
    CHECK(layers[2].maxzoom == 18);
    CHECK_FALSE(layers[2].visible_at(2));
    CHECK(layers[2].visible_at(3));
    CHECK(line.cap.constant() == LineCap::round);
    CHECK(line.join.constant() == LineJoin::bevel);
    CHECK(line.dasharray.constant() == std::vector<double>{2, 1});
    CHECK(line.width.uses_zoom());
    CHECK_FALSE(line.width.uses_feature());
    CHECK(line.width.evaluate({5, {}}) == Approx(3));

    Site site;
    auto const& circle = std::get<CircleLayer>(layers[3].props);
    REQUIRE(layers[3].filter);
    CHECK(layers[3].filter->evaluate({0, site.ref()}) == Value(true));
    CHECK(circle.radius.uses_feature());
    CHECK(circle.radius.evaluate({0, site.ref()}) == 7);
    CHECK(circle.radius.evaluate({0, {}}) == 5); // missing attribute: the default
    CHECK(circle.color.evaluate({0, site.ref()}) == Color{1, 0, 0, 1});
    CHECK(circle.stroke_width.constant() == 1);

    auto const& symbol = std::get<SymbolLayer>(layers[4].props);
    CHECK_FALSE(layers[4].visible);
    CHECK_FALSE(layers[4].visible_at(10));
    CHECK(symbol.text_field.evaluate({0, site.ref()}) == "Ségou");
    CHECK(symbol.text_size.constant() == 12);
    CHECK(symbol.text_offset.constant() == std::vector<double>{0, 1});
    CHECK(symbol.text_anchor.constant() == TextAnchor::top);
    CHECK(symbol.text_transform.constant() == TextTransform::uppercase);
    CHECK(symbol.placement.constant() == SymbolPlacement::line);
    CHECK(symbol.has_sort_key);
    CHECK(symbol.sort_key.evaluate({0, site.ref()}) == 130000);
    CHECK(symbol.text_halo_color.constant() == Color{1, 1, 1, 1});
}

TEST_CASE("style: a style with three problems reports all three", "[style]")
{
    std::string const text = R"({
      "version": 7,
      "sources": {"sahel": {"type": "vector"}},
      "layers": [
        {"id": "a", "type": "line", "source": "sahel", "source-layer": "foo"},
        {"id": "b", "type": "fill", "source": "sahel", "source-layer": "countries",
         "paint": {"fill-colour": "red"}}
      ]})";
    CHECK(problems(text) == std::vector<std::string>{
                                "version: expected 8, got 7",
                                R"(layers[0].source-layer: unknown data layer "foo" (known: countries, rivers, sites))",
                                "layers[1].paint.fill-colour: unknown property for a fill layer",
                            });
    CHECK_THROWS_WITH(Style::parse("bad", text, g_data_layers),
                      "style bad is invalid: version: expected 8, got 7 (and 2 more problems)");
}

TEST_CASE("style: bad styles give exact messages", "[style]")
{
    struct Bad {
        std::string text;
        std::vector<std::string> messages;
    };
    auto line = [](std::string const& extra) {
        return with_layers(R"({"id": "l", "type": "line", "source": "sahel", "source-layer": "rivers", )" + extra +
                           "}");
    };
    Bad const cases[] = {
        {line(R"("paint": {"line-width": "wide"})"), {"layers[0].paint.line-width: expected number, got string"}},
        {line(R"("paint": {"line-color": "reddish"})"),
         {R"(layers[0].paint.line-color: could not parse color from value "reddish")"}},
        {line(R"("paint": {"line-cap": "round"})"),
         {"layers[0].paint.line-cap: is a layout property, not a paint property"}},
        {line(R"("layout": {"line-cap": "diagonal"})"),
         {R"(layers[0].layout.line-cap: expected one of butt, round, square, got "diagonal")"}},
        {line(R"("layout": {"visibility": "hidden"})"),
         {R"(layers[0].layout.visibility: expected "visible" or "none", got "hidden")"}},
        {line(R"("paint": {"line-dasharray": ["a", 1]})"),
         {R"(layers[0].paint.line-dasharray: expected array of numbers, got ["a",1])"}},
        {line(R"("paint": {"line-width": [1, 2]})"),
         {R"(layers[0].paint.line-width[0]: expression name must be a string, got number; for a literal array use ["literal", [...]])"}},
        {line(R"("paint": {"line-width": ["interpolate", ["linear"], ["zoom"], 10, 1, 5, 2]})"),
         {R"(layers[0].paint.line-width[5]: "interpolate" stop inputs must be in strictly ascending order (5 after 10))"}},
        {line(R"("filter": ["all", ["==", ["get", "a"], 1], ["+", 1, 2]])"),
         {"layers[0].filter[2]: expected boolean, got number"}},
        {line(R"("filter": ["==", ["get"], 1])"), {R"(layers[0].filter[1]: "get": expected 1 argument, got 0)"}},
        {line(R"("filter": ["==", "class", "river"])"),
         {R"(layers[0].filter: legacy filter syntax is not supported; write ["==",["get","class"],"river"])"}},
        {line(R"("filter": ["all", ["==", "$type", "LineString"], ["in", "class", "a", "b"]])"),
         {R"(layers[0].filter[1]: legacy filter syntax is not supported; write ["==",["geometry-type"],"LineString"])",
          R"(layers[0].filter[2]: legacy filter syntax is not supported; write ["in",["get","class"],["literal",["a","b"]]])"}},
        {line(R"("filter": ["!has", "class"])"),
         {R"(layers[0].filter[0]: unknown expression "!has"; for a literal array use ["literal", [...]])"}},
        {line(R"("minzoom": 30)"), {"layers[0].minzoom: expected a number between 0 and 24, got 30"}},
        {line(R"("maxzoom": "high")"), {R"(layers[0].maxzoom: expected a number between 0 and 24, got "high")"}},
        {line(R"("paint": [])"), {"layers[0].paint: expected object, got array"}},
        {line(R"("ref": "x")"), {"layers[0].ref: unknown layer key"}},
        {with_layers(R"({"id": "r", "type": "raster", "source": "sahel"})"),
         {R"(layers[0].type: unsupported layer type "raster")"}},
        {with_layers(R"({"id": "h", "type": "fill-extrusion", "source": "sahel", "source-layer": "countries"})"),
         {R"(layers[0].type: unsupported layer type "fill-extrusion")"}},
        {with_layers(R"({"id": "f", "type": "fill", "source": "nope", "source-layer": "countries"})"),
         {R"(layers[0].source: unknown source "nope")"}},
        {with_layers(R"({"id": "f", "type": "fill", "source": "sahel"})"), {"layers[0].source-layer: missing"}},
        {with_layers(R"({"type": "background"})"), {"layers[0].id: missing"}},
        {with_layers(R"({"id": 3, "type": "background"})"), {"layers[0].id: expected string, got number"}},
        {with_layers(R"({"id": "a", "type": "background"}, {"id": "a", "type": "background"})"),
         {R"(layers[1].id: duplicate layer id "a")"}},
        {with_layers(R"({"id": "c", "type": "circle", "source": "sahel", "source-layer": "sites",
                         "paint": {"circle-radius": "big", "circle-colour": "red"}})"),
         {"layers[0].paint.circle-radius: expected number, got string",
          "layers[0].paint.circle-colour: unknown property for a circle layer"}},
        {with_layers(R"({"id": "s", "type": "symbol", "source": "sahel", "source-layer": "sites",
                         "layout": {"text-field": ["rgb", 1, 2, 3], "text-size": true}})"),
         {"layers[0].layout.text-field: expected string, got color",
          "layers[0].layout.text-size: expected number, got boolean"}},
        {R"({"version": 8, "sources": {"dem": {"type": "raster-dem"}, "v": {}}, "layers": []})",
         {R"(sources.dem.type: unsupported source type "raster-dem" (expected vector or geojson))",
          "sources.v.type: missing"}},
        {R"({"version": 8, "sources": {}, "layers": [], "terrain": {}})", {"terrain: unknown top-level key"}},
        {"{}", {"version: missing (expected 8)", "sources: missing", "layers: missing"}},
        {R"({"version": 8, "sources": [], "layers": {}})",
         {"sources: expected object, got array", "layers: expected array, got object"}},
        {"[1, 2]", {"style: expected a JSON object, got array"}},
    };
    for (auto const& c : cases) {
        CAPTURE(c.text);
        CHECK(problems(c.text) == c.messages);
    }
}

TEST_CASE("style: deeply nested values do not overflow the stack", "[style]")
{
    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto p = problems(with_layers(R"({"id": "l", "type": "line", "source": "sahel", "source-layer": "rivers",
        "minzoom": )" + deep + R"(, "paint": {"line-dasharray": )" + deep + R"(}, "filter": )" + deep + "}"));
    CHECK(p == std::vector<std::string>{
                   "layers[0].filter[0]: expression name must be a string, got array; for a literal array use "
                   "[\"literal\", [...]]",
                   "layers[0].minzoom: expected a number between 0 and 24, got array",
                   "layers[0].paint.line-dasharray: expected array of numbers, got array"});
}

TEST_CASE("style: JSON syntax errors give line and byte", "[style]")
{
    auto p = problems("{\n  \"version\": 8,\n  \"layers\": [,]\n}");
    REQUIRE(p.size() == 1);
    CAPTURE(p[0]);
    CHECK(p[0].rfind("invalid JSON: parse error at line 3, column 14", 0) == 0);
    CHECK(p[0].find("(byte 32)") != std::string::npos);
    CHECK(problems(R"({"version": 1e999})") == std::vector<std::string>{"invalid JSON: number overflow parsing '1e999'"});
}

TEST_CASE("style: legacy {token} text-field becomes an expression", "[style]")
{
    Site site;
    struct Case {
        char const* field;
        std::string expected;
        bool constant;
    };
    Case const cases[] = {
        {"{name}", "Ségou", false},
        {"{name} ({pop})", "Ségou (130000)", false},
        {"Pop: {pop}!", "Pop: 130000!", false},
        {"{missing}", "", false},
        {"No tokens {} here", "No tokens {} here", true},
        {"{a{name}", "{aSégou", false},
        {"plain", "plain", true},
    };
    for (auto const& c : cases) {
        CAPTURE(c.field);
        auto style = Style::parse(
            "t",
            with_layers(R"({"id": "s", "type": "symbol", "source": "sahel", "source-layer": "sites",
                            "layout": {"text-field": ")" +
                        std::string(c.field) + R"("}})"),
            g_data_layers);
        auto const& symbol = std::get<SymbolLayer>(style->layers()[0].props);
        CHECK(symbol.text_field.is_constant() == c.constant);
        CHECK(symbol.text_field.evaluate({0, site.ref()}) == c.expected);
    }
}

TEST_CASE("style: text-field expressions label numbers as text", "[style]")
{
    Site site;
    auto style = Style::parse("t",
                              with_layers(R"({"id": "s", "type": "symbol", "source": "sahel", "source-layer": "sites",
                                              "layout": {"text-field": ["get", "pop"]}})"),
                              g_data_layers);
    auto const& symbol = std::get<SymbolLayer>(style->layers()[0].props);
    CHECK(symbol.text_field.evaluate({0, site.ref()}) == "130000");
}

TEST_CASE("style: fonts are collected from constants and expression literals", "[style]")
{
    auto style = Style::parse("t", with_layers(R"(
        {"id": "a", "type": "symbol", "source": "sahel", "source-layer": "sites",
         "layout": {"text-font": ["Noto Sans Bold"]}},
        {"id": "b", "type": "symbol", "source": "sahel", "source-layer": "sites",
         "layout": {"text-font": ["step", ["zoom"], ["literal", ["Noto Sans Regular"]],
                                  10, ["literal", ["Noto Sans Bold", "DejaVu Sans Book"]]]}},
        {"id": "c", "type": "symbol", "source": "sahel", "source-layer": "sites"})"),
                              g_data_layers);
    CHECK(style->fonts() == std::vector<std::string>{"Noto Sans Bold", "Noto Sans Regular", "DejaVu Sans Book"});
    auto const& b = std::get<SymbolLayer>(style->layers()[1].props);
    CHECK(b.text_font.uses_zoom());
    CHECK(b.text_font.evaluate({12, {}}) == std::vector<std::string>{"Noto Sans Bold", "DejaVu Sans Book"});
    auto const& c = std::get<SymbolLayer>(style->layers()[2].props);
    CHECK(c.text_font.constant() == std::vector<std::string>{"DejaVu Sans Book"}); // the default
}

TEST_CASE("style: visibility and background layers need no source", "[style]")
{
    auto style = Style::parse("t", with_layers(R"(
        {"id": "bg", "type": "background", "layout": {"visibility": "none"}},
        {"id": "f", "type": "fill", "source": "sahel", "source-layer": "countries",
         "layout": {"visibility": "visible"}})"),
                              g_data_layers);
    REQUIRE(style->layers().size() == 2);
    CHECK_FALSE(style->layers()[0].visible);
    CHECK(style->layers()[1].visible);
    CHECK(style->layers()[1].visible_at(0));
    CHECK_FALSE(style->layers()[1].visible_at(24));
}

TEST_CASE("style: unknown source-layer lists the known data layers", "[style]")
{
    auto p = Style::parse;
    CHECK_THROWS_AS(p("t", with_layers(R"({"id": "f", "type": "fill", "source": "sahel", "source-layer": "x"})"),
                      {}),
                    StyleError);
    try {
        p("t", with_layers(R"({"id": "f", "type": "fill", "source": "sahel", "source-layer": "x"})"), {});
        FAIL("a style with an unknown source-layer parsed");
    } catch (StyleError const& e) {
        CHECK(e.problems() == std::vector<std::string>{R"(layers[0].source-layer: unknown data layer "x" (known: none))"});
    }
}

TEST_CASE("style: layer metadata sahelmap:time selects present or ended features", "[style]")
{
    std::vector<std::string> const layers{"sites"};
    auto const doc = [](char const* meta) {
        return std::string(R"({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": [
            {"id": "a", "type": "circle", "source": "s", "source-layer": "sites", "metadata": )") + meta + "}]}";
    };
    CHECK(sahelmap::style::Style::parse("t", doc(R"({"sahelmap:time": "ended"})"), layers)->layers()[0].time_mode ==
          sahelmap::style::TimeMode::ended);
    CHECK(sahelmap::style::Style::parse("t", doc("{}"), layers)->layers()[0].time_mode ==
          sahelmap::style::TimeMode::present);
    CHECK_THROWS_WITH(sahelmap::style::Style::parse("t", doc(R"({"sahelmap:time": "past"})"), layers),
                      Catch::Contains("layers[0].metadata.sahelmap:time"));
}

TEST_CASE("style: heatmap layers name a field and colour it by heatmap-density", "[style]")
{
    std::vector<std::string> const layers{"influence"};
    auto const doc = [](char const* meta) {
        return std::string(R"({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": [
            {"id": "h", "type": "heatmap", "source": "s", "source-layer": "influence")") + meta +
               R"js(, "paint": {"heatmap-color": ["interpolate", ["linear"], ["heatmap-density"], 0, "rgba(0,0,255,0)", 1, "#ff0000"],
                             "heatmap-opacity": 0.5}}]})js";
    };
    auto const style = sahelmap::style::Style::parse("t", doc(R"(, "metadata": {"sahelmap:field": "russia"})"), layers);
    auto const& heat = std::get<sahelmap::style::HeatmapLayer>(style->layers()[0].props);
    CHECK(heat.field == "russia");
    sahelmap::style::EvalContext ctx{5, {}, 1.0};
    CHECK(heat.color.evaluate(ctx) == sahelmap::Color{1, 0, 0, 1});
    ctx.heatmap_density = 0.5;
    CHECK(heat.color.evaluate(ctx).a == Approx(0.5));
    CHECK(heat.opacity.evaluate(ctx) == 0.5);
    CHECK_THROWS_WITH(sahelmap::style::Style::parse("t", doc(""), layers),
                      Catch::Contains("layers[0].metadata.sahelmap:field"));
}
