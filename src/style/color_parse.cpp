#include "sahelmap/style/color_parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace sahelmap::style {

namespace {

struct NamedColor {
    std::string_view name;
    std::uint32_t rgb;
};

// The 148 CSS Color Module 4 keywords, sorted so lookup can bisect.
constexpr std::array<NamedColor, 148> k_named_colors{{
    {"aliceblue", 0xf0f8ff},
    {"antiquewhite", 0xfaebd7},
    {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4},
    {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc},
    {"bisque", 0xffe4c4},
    {"black", 0x000000},
    {"blanchedalmond", 0xffebcd},
    {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a},
    {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0},
    {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e},
    {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c},
    {"cyan", 0x00ffff},
    {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9},
    {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000},
    {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f},
    {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1},
    {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff},
    {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff},
    {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff},
    {"gold", 0xffd700},
    {"goldenrod", 0xdaa520},
    {"gray", 0x808080},
    {"green", 0x008000},
    {"greenyellow", 0xadff2f},
    {"grey", 0x808080},
    {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082},
    {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c},
    {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd},
    {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080},
    {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90},
    {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1},
    {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de},
    {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00},
    {"limegreen", 0x32cd32},
    {"linen", 0xfaf0e6},
    {"magenta", 0xff00ff},
    {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa},
    {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371},
    {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a},
    {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa},
    {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead},
    {"navy", 0x000080},
    {"oldlace", 0xfdf5e6},
    {"olive", 0x808000},
    {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500},
    {"orangered", 0xff4500},
    {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa},
    {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee},
    {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9},
    {"peru", 0xcd853f},
    {"pink", 0xffc0cb},
    {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6},
    {"purple", 0x800080},
    {"rebeccapurple", 0x663399},
    {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f},
    {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460},
    {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d},
    {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb},
    {"slateblue", 0x6a5acd},
    {"slategray", 0x708090},
    {"slategrey", 0x708090},
    {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4},
    {"tan", 0xd2b48c},
    {"teal", 0x008080},
    {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0},
    {"violet", 0xee82ee},
    {"wheat", 0xf5deb3},
    {"white", 0xffffff},
    {"whitesmoke", 0xf5f5f5},
    {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
}};

static_assert(std::is_sorted(k_named_colors.begin(), k_named_colors.end(),
                             [](NamedColor const& a, NamedColor const& b) { return a.name < b.name; }),
              "named colours must stay sorted for binary search");

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

Color from_rgb24(std::uint32_t rgb) noexcept
{
    return {static_cast<float>((rgb >> 16) & 0xff) / 255.0f, static_cast<float>((rgb >> 8) & 0xff) / 255.0f,
            static_cast<float>(rgb & 0xff) / 255.0f, 1.0f};
}

int hex_digit(char c) noexcept
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::optional<Color> parse_hex(std::string_view hex) noexcept
{
    std::array<int, 8> d{};
    if (hex.size() != 3 && hex.size() != 4 && hex.size() != 6 && hex.size() != 8) return std::nullopt;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        d[i] = hex_digit(hex[i]);
        if (d[i] < 0) return std::nullopt;
    }
    auto channel = [](int v) { return static_cast<float>(v) / 255.0f; };
    if (hex.size() <= 4) {
        // Short form: each digit stands for itself repeated (#f80 = #ff8800).
        Color c{channel(d[0] * 17), channel(d[1] * 17), channel(d[2] * 17), 1.0f};
        if (hex.size() == 4) c.a = channel(d[3] * 17);
        return c;
    }
    Color c{channel(d[0] * 16 + d[1]), channel(d[2] * 16 + d[3]), channel(d[4] * 16 + d[5]), 1.0f};
    if (hex.size() == 8) c.a = channel(d[6] * 16 + d[7]);
    return c;
}

/// One numeric argument of rgb()/hsl(): a number with an optional `%` or `deg` unit.
struct Number {
    double value = 0;
    bool percent = false;
};

std::optional<Number> parse_number(std::string_view s) noexcept
{
    Number n;
    if (s.size() > 1 && s.back() == '%') {
        n.percent = true;
        s.remove_suffix(1);
    } else if (s.size() > 3 && s.substr(s.size() - 3) == "deg") {
        s.remove_suffix(3);
    }
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    // from_chars would also take "inf" and "nan", which CSS does not.
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '.' || s.front() == '-'))
        return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n.value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(n.value)) return std::nullopt;
    return n;
}

/// Splits `a, b, c` or the CSS 4 form `a b c / d` into number tokens.
std::optional<std::vector<Number>> parse_arguments(std::string_view body)
{
    std::vector<std::string_view> tokens;
    bool has_comma = body.find(',') != std::string_view::npos;
    if (has_comma) {
        while (true) {
            auto comma = body.find(',');
            tokens.push_back(trim(body.substr(0, comma)));
            if (comma == std::string_view::npos) break;
            body.remove_prefix(comma + 1);
        }
    } else {
        std::size_t slash_at = std::string_view::npos;
        std::size_t i = 0;
        while (i < body.size()) {
            if (is_space(body[i])) {
                ++i;
                continue;
            }
            if (body[i] == '/') {
                if (slash_at != std::string_view::npos) return std::nullopt;
                slash_at = tokens.size();
                ++i;
                continue;
            }
            std::size_t start = i;
            while (i < body.size() && !is_space(body[i]) && body[i] != '/') ++i;
            tokens.push_back(body.substr(start, i - start));
        }
        // The slash may only separate the alpha, i.e. stand before the fourth value.
        if (slash_at != std::string_view::npos && (slash_at != 3 || tokens.size() != 4)) return std::nullopt;
    }
    std::vector<Number> out;
    for (auto t : tokens) {
        auto n = parse_number(t);
        if (!n) return std::nullopt;
        out.push_back(*n);
    }
    return out;
}

float clamp01(double v) noexcept { return static_cast<float>(std::clamp(v, 0.0, 1.0)); }

float rgb_channel(Number n) noexcept { return n.percent ? clamp01(n.value / 100.0) : clamp01(n.value / 255.0); }

float alpha_channel(Number n) noexcept { return n.percent ? clamp01(n.value / 100.0) : clamp01(n.value); }

double hue_to_rgb(double m1, double m2, double h) noexcept
{
    if (h < 0) h += 1;
    if (h > 1) h -= 1;
    if (h * 6 < 1) return m1 + (m2 - m1) * h * 6;
    if (h * 2 < 1) return m2;
    if (h * 3 < 2) return m1 + (m2 - m1) * (2.0 / 3.0 - h) * 6;
    return m1;
}

std::optional<Color> parse_function(std::string_view name, std::string_view body)
{
    auto args = parse_arguments(body);
    if (!args || (args->size() != 3 && args->size() != 4)) return std::nullopt;
    auto const& a = *args;
    // CSS 4 made rgba()/hsla() aliases of rgb()/hsl(), so either takes an optional alpha.
    float alpha = a.size() == 4 ? alpha_channel(a[3]) : 1.0f;
    if (name == "rgb" || name == "rgba") return Color{rgb_channel(a[0]), rgb_channel(a[1]), rgb_channel(a[2]), alpha};
    if (name == "hsl" || name == "hsla") {
        if (a[0].percent) return std::nullopt;
        double h = std::fmod(a[0].value, 360.0);
        if (h < 0) h += 360.0;
        h /= 360.0;
        double s = std::clamp(a[1].value / 100.0, 0.0, 1.0);
        double l = std::clamp(a[2].value / 100.0, 0.0, 1.0);
        double m2 = l <= 0.5 ? l * (s + 1) : l + s - l * s;
        double m1 = l * 2 - m2;
        return Color{clamp01(hue_to_rgb(m1, m2, h + 1.0 / 3.0)), clamp01(hue_to_rgb(m1, m2, h)),
                     clamp01(hue_to_rgb(m1, m2, h - 1.0 / 3.0)), alpha};
    }
    return std::nullopt;
}

} // namespace

std::optional<Color> parse_color(std::string_view text)
{
    text = trim(text);
    if (text.empty() || text.size() > 128) return std::nullopt;
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view s = lower;

    if (s.front() == '#') return parse_hex(s.substr(1));
    if (s == "transparent") return Color{0, 0, 0, 0};

    if (auto open = s.find('('); open != std::string_view::npos) {
        if (s.back() != ')') return std::nullopt;
        return parse_function(trim(s.substr(0, open)), s.substr(open + 1, s.size() - open - 2));
    }

    auto it = std::lower_bound(k_named_colors.begin(), k_named_colors.end(), s,
                               [](NamedColor const& c, std::string_view n) { return c.name < n; });
    if (it != k_named_colors.end() && it->name == s) return from_rgb24(it->rgb);
    return std::nullopt;
}

std::string color_to_string(Color c)
{
    // Same text as Value::to_string() so `to-string` and this agree.
    char buf[96];
    std::snprintf(buf, sizeof buf, "rgba(%d,%d,%d,%g)", static_cast<int>(std::lround(c.r * 255)),
                  static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255)),
                  static_cast<double>(c.a));
    return buf;
}

} // namespace sahelmap::style
