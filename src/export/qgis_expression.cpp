// MapLibre expressions → QGIS expressions, for labels and data-defined
// marker properties in the exported QGIS styles.
#include "qgis_model.hpp"

#include "sahelmap/style/color_parse.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace sahelmap::exports::detail {

namespace {

using nlohmann::json;

std::string quote_string(std::string const& s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "''";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out + "'";
}

std::string quote_field(std::string const& s)
{
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

class Translator {
public:
    Translator(double zoom, std::string (*map)(std::string const&)) : m_zoom(zoom), m_map(map) {}

    /// `output`: the value is a result (string literals go through the map).
    std::string run(json const& e, bool output)
    {
        if (e.is_string()) return quote_string(output && m_map ? m_map(e.get<std::string>()) : e.get<std::string>());
        if (e.is_number()) return number(e.get<double>());
        if (e.is_boolean()) return e.get<bool>() ? "TRUE" : "FALSE";
        if (e.is_null()) return "NULL";
        if (!e.is_array() || e.empty() || !e[0].is_string()) throw std::invalid_argument("not an expression");
        std::string const op = e[0].get<std::string>();
        auto arg = [&](std::size_t i, bool out = false) { return run(e.at(i), out); };
        auto list = [&](std::size_t from, bool out) {
            std::string s;
            for (std::size_t i = from; i < e.size(); ++i) s += (i > from ? ", " : "") + run(e[i], out);
            return s;
        };
        if (op == "get" && e.size() == 2 && e[1].is_string()) return quote_field(e[1].get<std::string>());
        if (op == "has" && e.size() == 2 && e[1].is_string())
            return "(" + quote_field(e[1].get<std::string>()) + " IS NOT NULL)";
        if (op == "literal" && e.size() == 2 && !e[1].is_array()) return run(e[1], output);
        if (op == "zoom") return number(m_zoom);
        if (op == "concat") return "concat(" + list(1, output) + ")";
        if (op == "coalesce") return "coalesce(" + list(1, output) + ")";
        if (op == "upcase" && e.size() == 2) return "upper(" + arg(1, output) + ")";
        if (op == "downcase" && e.size() == 2) return "lower(" + arg(1, output) + ")";
        if (op == "to-string" && e.size() == 2) return "to_string(" + arg(1, output) + ")";
        if (op == "to-number" && e.size() == 2) return "to_real(" + arg(1) + ")";
        if (op == "!" && e.size() == 2) return "(NOT " + arg(1) + ")";
        if ((op == "all" || op == "any") && e.size() >= 2) {
            std::string s = "(";
            for (std::size_t i = 1; i < e.size(); ++i) s += (i > 1 ? (op == "all" ? " AND " : " OR ") : "") + arg(i);
            return s + ")";
        }
        static constexpr std::pair<char const*, char const*> kBinary[] = {
            {"==", "="}, {"!=", "<>"}, {"<", "<"}, {"<=", "<="}, {">", ">"}, {">=", ">="},
            {"+", "+"},  {"-", "-"},   {"*", "*"}, {"/", "/"},   {"%", "%"}};
        for (auto const& [ml, q] : kBinary)
            if (op == ml && e.size() == 3) return "(" + arg(1) + " " + q + " " + arg(2) + ")";
        if (op == "max" && e.size() >= 3) return "max(" + list(1, false) + ")";
        if (op == "min" && e.size() >= 3) return "min(" + list(1, false) + ")";
        if (op == "in" && e.size() == 3 && e[2].is_array() && e[2].size() == 2 && e[2][0] == "literal" &&
            e[2][1].is_array()) {
            std::string s = "(" + arg(1) + " IN (";
            bool first = true;
            for (auto const& v : e[2][1]) {
                s += (first ? "" : ", ") + run(v, false);
                first = false;
            }
            return s + "))";
        }
        if (op == "case" && e.size() >= 4 && e.size() % 2 == 0) {
            std::string s = "CASE";
            for (std::size_t i = 1; i + 1 < e.size(); i += 2) s += " WHEN " + arg(i) + " THEN " + arg(i + 1, output);
            return s + " ELSE " + arg(e.size() - 1, output) + " END";
        }
        if (op == "match" && e.size() >= 5 && e.size() % 2 == 1) {
            std::string const input = arg(1);
            std::string s = "CASE";
            for (std::size_t i = 2; i + 1 < e.size(); i += 2) {
                json const& labels = e[i];
                if (labels.is_array()) {
                    std::string in;
                    for (auto const& l : labels) in += (in.empty() ? "" : ", ") + run(l, false);
                    s += " WHEN " + input + " IN (" + in + ")";
                } else {
                    s += " WHEN " + input + " = " + run(labels, false);
                }
                s += " THEN " + arg(i + 1, output);
            }
            return s + " ELSE " + arg(e.size() - 1, output) + " END";
        }
        if (op == "step" && e.size() >= 3 && e.size() % 2 == 1) {
            if (e[1] == json::array({"zoom"})) {
                std::size_t pick = 2;
                for (std::size_t i = 3; i + 1 < e.size(); i += 2)
                    if (e[i].is_number() && e[i].get<double>() <= m_zoom) pick = i + 1;
                return arg(pick, output);
            }
            std::string const input = arg(1);
            std::string s = "CASE";
            for (std::size_t i = e.size() - 2; i >= 3; i -= 2)
                s += " WHEN " + input + " >= " + arg(i) + " THEN " + arg(i + 1, output);
            return s + " ELSE " + arg(2, output) + " END";
        }
        if (op == "interpolate" && e.size() >= 5 && e.size() % 2 == 1) return interpolate(e, output);
        throw std::invalid_argument("no QGIS counterpart for '" + op + "'");
    }

private:
    std::string interpolate(json const& e, bool output)
    {
        if (!(e[1].is_array() && !e[1].empty() && e[1][0] == "linear"))
            throw std::invalid_argument("only linear interpolation translates");
        std::vector<std::pair<double, json>> stops;
        for (std::size_t i = 3; i + 1 < e.size(); i += 2) {
            if (!e[i].is_number()) throw std::invalid_argument("interpolate stops must be numbers");
            stops.emplace_back(e[i].get<double>(), e[i + 1]);
        }
        if (e[2] == json::array({"zoom"})) {
            // Zoom is fixed: the value there, linear between numeric stops.
            if (m_zoom <= stops.front().first) return run(stops.front().second, output);
            for (std::size_t i = 1; i < stops.size(); ++i) {
                if (m_zoom <= stops[i].first) {
                    auto const& [z0, v0] = stops[i - 1];
                    auto const& [z1, v1] = stops[i];
                    if (!v0.is_number() || !v1.is_number()) return run(v1, output);
                    double const t = (m_zoom - z0) / (z1 - z0);
                    return number(v0.get<double>() + t * (v1.get<double>() - v0.get<double>()));
                }
            }
            return run(stops.back().second, output);
        }
        for (auto const& s : stops)
            if (!s.second.is_number()) throw std::invalid_argument("only numeric outputs interpolate in QGIS");
        std::string const x = run(e[2], false);
        std::string s = "CASE WHEN " + x + " IS NULL THEN " + number(stops.front().second.get<double>());
        s +=
            " WHEN " + x + " <= " + number(stops.front().first) + " THEN " + number(stops.front().second.get<double>());
        for (std::size_t i = 1; i < stops.size(); ++i) {
            double const x0 = stops[i - 1].first, x1 = stops[i].first;
            double const v0 = stops[i - 1].second.get<double>(), v1 = stops[i].second.get<double>();
            s += " WHEN " + x + " <= " + number(x1) + " THEN " + number(v0) + " + (" + x + " - " + number(x0) + ") * " +
                 number((v1 - v0) / (x1 - x0));
        }
        return s + " ELSE " + number(stops.back().second.get<double>()) + " END";
    }

    double m_zoom;
    std::string (*m_map)(std::string const&);
};

} // namespace

std::string qgis_expression(nlohmann::json const& expr, double zoom, std::string (*literal_map)(std::string const&))
{
    return Translator(zoom, literal_map).run(expr, true);
}

std::string qgis_color_literal(std::string const& text)
{
    if (auto c = style::parse_color(text)) return qml_color(*c);
    return text;
}

double scale_of_zoom(double zoom)
{
    return 591657527.591555 / std::exp2(zoom);
}

std::string qgis_marker(std::string const& icon)
{
    // QGIS's simple marker has no aircraft; the filled cross reads as one at small sizes.
    static constexpr std::pair<char const*, char const*> kShapes[] = {
        {"circle", "circle"},   {"square", "square"},   {"triangle", "triangle"}, {"triangle-down", "triangle"},
        {"diamond", "diamond"}, {"star", "star"},       {"pentagon", "pentagon"}, {"hexagon", "hexagon"},
        {"cross", "cross2"},    {"plane", "cross_fill"}};
    for (auto const& [ours, qgis] : kShapes)
        if (icon == ours) return qgis;
    return "circle";
}

} // namespace sahelmap::exports::detail
