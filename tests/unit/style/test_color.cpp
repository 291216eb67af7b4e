#include "sahelmap/style/color_parse.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sahelmap::Color;
using sahelmap::style::color_to_string;
using sahelmap::style::parse_color;

namespace {

bool near(Color a, Color b)
{
    auto close = [](float x, float y) { return x > y - 0.002f && x < y + 0.002f; };
    return close(a.r, b.r) && close(a.g, b.g) && close(a.b, b.b) && close(a.a, b.a);
}

std::string show(Color c)
{
    return "{" + std::to_string(c.r) + ", " + std::to_string(c.g) + ", " + std::to_string(c.b) + ", " +
           std::to_string(c.a) + "}";
}

} // namespace

TEST_CASE("style: valid colours parse to the expected RGBA", "[style]")
{
    struct Case {
        char const* text;
        Color expected;
    };
    float const h = 128.0f / 255.0f;
    Case const cases[] = {
        {"red", {1, 0, 0, 1}},
        {"  Red\t", {1, 0, 0, 1}},
        {"LightGoldenRodYellow", {250 / 255.0f, 250 / 255.0f, 210 / 255.0f, 1}},
        {"rebeccapurple", {0x66 / 255.0f, 0x33 / 255.0f, 0x99 / 255.0f, 1}},
        {"grey", {h, h, h, 1}},
        {"gray", {h, h, h, 1}},
        {"transparent", {0, 0, 0, 0}},
        {"#f00", {1, 0, 0, 1}},
        {"#F00", {1, 0, 0, 1}},
        {"#f008", {1, 0, 0, 0x88 / 255.0f}},
        {"#ff0000", {1, 0, 0, 1}},
        {"#00ff0080", {0, 1, 0, h}},
        {"rgb(255, 0, 0)", {1, 0, 0, 1}},
        {"RGB( 0 , 128 , 255 )", {0, h, 1, 1}},
        {"rgb(100%, 0%, 50%)", {1, 0, 0.5f, 1}},
        {"rgba(255,0,0,0.5)", {1, 0, 0, 0.5f}},
        {"rgba(255, 0, 0, 50%)", {1, 0, 0, 0.5f}},
        {"rgb(0 128 255 / 0.5)", {0, h, 1, 0.5f}},
        {"rgb(300, -5, 0)", {1, 0, 0, 1}}, // out of range clamps, as browsers do
        {"hsl(120, 100%, 50%)", {0, 1, 0, 1}},
        {"hsl(480, 100%, 50%)", {0, 1, 0, 1}},
        {"hsl(0, 0%, 50%)", {0.5f, 0.5f, 0.5f, 1}},
        {"hsla(240, 100%, 50%, 0.25)", {0, 0, 1, 0.25f}},
        {"hsl(0deg, 100%, 25%)", {0.5f, 0, 0, 1}},
    };
    for (auto const& c : cases) {
        CAPTURE(c.text);
        auto parsed = parse_color(c.text);
        REQUIRE(parsed);
        CAPTURE(show(*parsed), show(c.expected));
        CHECK(near(*parsed, c.expected));
    }
}

TEST_CASE("style: invalid colours are rejected", "[style]")
{
    char const* const cases[] = {
        "",          "   ",          "redd",           "#ff",           "#ggg",        "#12345",
        "#1234567",  "rgb(1,2)",     "rgb(1,2,3,4,5)", "rgb(a,b,c)",    "rgb(1,2,3",   "rgb(1,,2)",
        "foo(1,2,3)", "hsl(10%, 50%, 50%)", "rgb(nan, 0, 0)", "rgb(1 2 / 3 4)", "red blue", "#",
    };
    for (auto const* text : cases) {
        CAPTURE(text);
        CHECK_FALSE(parse_color(text));
    }
}

TEST_CASE("style: all 148 CSS named colours are known", "[style]")
{
    std::vector<std::string> const names = {
        "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque", "black", "blanchedalmond",
        "blue", "blueviolet", "brown", "burlywood", "cadetblue", "chartreuse", "chocolate", "coral", "cornflowerblue",
        "cornsilk", "crimson", "cyan", "darkblue", "darkcyan", "darkgoldenrod", "darkgray", "darkgreen", "darkgrey",
        "darkkhaki", "darkmagenta", "darkolivegreen", "darkorange", "darkorchid", "darkred", "darksalmon",
        "darkseagreen", "darkslateblue", "darkslategray", "darkslategrey", "darkturquoise", "darkviolet", "deeppink",
        "deepskyblue", "dimgray", "dimgrey", "dodgerblue", "firebrick", "floralwhite", "forestgreen", "fuchsia",
        "gainsboro", "ghostwhite", "gold", "goldenrod", "gray", "green", "greenyellow", "grey", "honeydew", "hotpink",
        "indianred", "indigo", "ivory", "khaki", "lavender", "lavenderblush", "lawngreen", "lemonchiffon",
        "lightblue", "lightcoral", "lightcyan", "lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey",
        "lightpink", "lightsalmon", "lightseagreen", "lightskyblue", "lightslategray", "lightslategrey",
        "lightsteelblue", "lightyellow", "lime", "limegreen", "linen", "magenta", "maroon", "mediumaquamarine",
        "mediumblue", "mediumorchid", "mediumpurple", "mediumseagreen", "mediumslateblue", "mediumspringgreen",
        "mediumturquoise", "mediumvioletred", "midnightblue", "mintcream", "mistyrose", "moccasin", "navajowhite",
        "navy", "oldlace", "olive", "olivedrab", "orange", "orangered", "orchid", "palegoldenrod", "palegreen",
        "paleturquoise", "palevioletred", "papayawhip", "peachpuff", "peru", "pink", "plum", "powderblue", "purple",
        "rebeccapurple", "red", "rosybrown", "royalblue", "saddlebrown", "salmon", "sandybrown", "seagreen",
        "seashell", "sienna", "silver", "skyblue", "slateblue", "slategray", "slategrey", "snow", "springgreen",
        "steelblue", "tan", "teal", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "whitesmoke",
        "yellow", "yellowgreen"};
    REQUIRE(names.size() == 148);
    for (auto const& name : names) {
        CAPTURE(name);
        auto c = parse_color(name);
        REQUIRE(c);
        CHECK(c->a == 1.0f);
    }
}

TEST_CASE("style: color_to_string writes rgba() that parses back", "[style]")
{
    CHECK(color_to_string({1, 0, 0, 1}) == "rgba(255,0,0,1)");
    CHECK(color_to_string({0, 0.5f, 1, 0.25f}) == "rgba(0,128,255,0.25)");
    CHECK(color_to_string({0, 0, 0, 0}) == "rgba(0,0,0,0)");
    for (char const* text : {"#336699", "rgba(10,20,30,0.5)", "hsl(200, 50%, 40%)", "transparent"}) {
        CAPTURE(text);
        auto c = parse_color(text);
        REQUIRE(c);
        auto back = parse_color(color_to_string(*c));
        REQUIRE(back);
        CHECK(near(*back, *c));
    }
}
