// MapLibre expressions → QGIS expressions, for filters, labels and
// data-defined symbol properties in the exported QGIS styles. Translated from
// the parsed expression (style/introspection.hpp), as the renderer reads it.
#include "qgis_model.hpp"

#include "sahelmap/style/color_parse.hpp"
#include "sahelmap/style/introspection.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>

namespace sahelmap::exports::detail {

namespace {

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

/// A constant as QGIS writes it; `map` rewrites strings (output strings:
/// icon names, colours). Throws for what QGIS has no literal of.
std::string literal(Value const& v, std::string (*map)(std::string const&))
{
    if (auto const* s = v.as_string()) return quote_string(map ? map(*s) : *s);
    if (auto const* d = v.as_number()) return number(*d);
    if (auto const* b = v.as_bool()) return *b ? "TRUE" : "FALSE";
    if (v.is_null()) return "NULL";
    // The style's colour strings are parsed when it loads; QGIS reads them as "r,g,b,a".
    if (auto const* c = v.as_color()) return quote_string(qml_color(*c));
    throw std::invalid_argument("no QGIS counterpart for 'literal'");
}

class Translator {
public:
    Translator(double zoom, std::string (*map)(std::string const&)) : m_zoom(zoom), m_map(map) {}

    /// `output`: the value is a result (string literals go through the map).
    std::string run(style::Expression const& e, bool output)
    {
        std::string_view const op = style::operator_name(e);
        auto const args = style::operands(e);
        // A check or conversion the parser added: translate what was written.
        if (op.empty() && args.size() == 1) return run(*args.front(), output);
        if (op == "literal") return literal(*style::literal_value(e), output ? m_map : nullptr);
        auto arg = [&](std::size_t i, bool out = false) { return run(*args.at(i), out); };
        auto list = [&](bool out) {
            std::string s;
            for (std::size_t i = 0; i < args.size(); ++i) s += (i > 0 ? ", " : "") + run(*args[i], out);
            return s;
        };
        auto const name = [&]() -> std::optional<std::string> {
            if (args.size() != 1) return std::nullopt;
            auto const v = style::literal_value(*args.front());
            if (!v || !v->is_string()) return std::nullopt;
            return *v->as_string();
        };
        if (op == "get")
            if (auto field = name()) return quote_field(*field);
        if (op == "has")
            if (auto field = name()) return "(" + quote_field(*field) + " IS NOT NULL)";
        if (op == "zoom") return number(m_zoom);
        if (op == "concat") return "concat(" + list(output) + ")";
        if (op == "coalesce") return "coalesce(" + list(output) + ")";
        if (op == "upcase" && args.size() == 1) return "upper(" + arg(0, output) + ")";
        if (op == "downcase" && args.size() == 1) return "lower(" + arg(0, output) + ")";
        if (op == "to-string" && args.size() == 1) return "to_string(" + arg(0, output) + ")";
        if (op == "to-number" && args.size() == 1) return "to_real(" + arg(0) + ")";
        if (op == "!" && args.size() == 1) return "(NOT " + arg(0) + ")";
        if ((op == "all" || op == "any") && !args.empty()) {
            std::string s = "(";
            for (std::size_t i = 0; i < args.size(); ++i) s += (i > 0 ? (op == "all" ? " AND " : " OR ") : "") + arg(i);
            return s + ")";
        }
        static constexpr std::pair<std::string_view, char const*> kBinary[] = {
            {"==", "="}, {"!=", "<>"}, {"<", "<"}, {"<=", "<="}, {">", ">"}, {">=", ">="},
            {"+", "+"},  {"-", "-"},   {"*", "*"}, {"/", "/"},   {"%", "%"}};
        for (auto const& [ml, q] : kBinary)
            if (op == ml && args.size() == 2) return "(" + arg(0) + " " + q + " " + arg(1) + ")";
        if (op == "max" && args.size() >= 2) return "max(" + list(false) + ")";
        if (op == "min" && args.size() >= 2) return "min(" + list(false) + ")";
        if (op == "in" && args.size() == 2)
            if (auto const haystack = style::literal_value(*args[1]); haystack && haystack->is_array()) {
                std::string s = "(" + arg(0) + " IN (";
                bool first = true;
                for (auto const& v : *haystack->as_array()) {
                    s += (first ? "" : ", ") + literal(v, nullptr);
                    first = false;
                }
                return s + "))";
            }
        if (op == "case" && args.size() >= 3 && args.size() % 2 == 1) {
            std::string s = "CASE";
            for (std::size_t i = 0; i + 1 < args.size(); i += 2) s += " WHEN " + arg(i) + " THEN " + arg(i + 1, output);
            return s + " ELSE " + arg(args.size() - 1, output) + " END";
        }
        if (auto const m = style::as_match(e)) {
            std::string const input = run(*m->input, false);
            std::string s = "CASE";
            for (auto const& arm : m->arms) {
                if (arm.listed) {
                    std::string in;
                    for (auto const& l : arm.labels) in += (in.empty() ? "" : ", ") + literal(l, nullptr);
                    s += " WHEN " + input + " IN (" + in + ")";
                } else {
                    s += " WHEN " + input + " = " + literal(arm.labels.front(), nullptr);
                }
                s += " THEN " + run(*arm.output, output);
            }
            return s + " ELSE " + run(*m->otherwise, output) + " END";
        }
        if (auto const st = style::as_step(e)) {
            if (style::operator_name(*st->input) == "zoom") {
                std::size_t pick = 0;
                for (std::size_t i = 0; i < st->stops.size(); ++i)
                    if (st->stops[i] <= m_zoom) pick = i + 1;
                return run(*st->outputs[pick], output);
            }
            std::string const input = run(*st->input, false);
            std::string s = "CASE";
            for (std::size_t i = st->stops.size(); i >= 1; --i)
                s += " WHEN " + input + " >= " + number(st->stops[i - 1]) + " THEN " + run(*st->outputs[i], output);
            return s + " ELSE " + run(*st->outputs[0], output) + " END";
        }
        if (auto const ramp = style::as_ramp(e)) return interpolate(*ramp, output);
        throw std::invalid_argument("no QGIS counterpart for '" + std::string(op) + "'");
    }

private:
    std::string interpolate(style::Ramp const& ramp, bool output)
    {
        if (!ramp.linear) throw std::invalid_argument("only linear interpolation translates");
        auto const& stops = ramp.stops;
        auto value = [&](std::size_t i) { return style::literal_value(*ramp.outputs[i]); };
        auto numeric = [&](std::size_t i) {
            auto const v = value(i);
            return v && v->is_number() ? std::optional<double>(*v->as_number()) : std::nullopt;
        };
        if (style::operator_name(*ramp.input) == "zoom") {
            // Zoom is fixed: the value there, linear between numeric stops.
            if (m_zoom <= stops.front()) return run(*ramp.outputs.front(), output);
            for (std::size_t i = 1; i < stops.size(); ++i) {
                if (m_zoom <= stops[i]) {
                    auto const v0 = numeric(i - 1), v1 = numeric(i);
                    if (!v0 || !v1) return run(*ramp.outputs[i], output);
                    double const t = (m_zoom - stops[i - 1]) / (stops[i] - stops[i - 1]);
                    return number(*v0 + t * (*v1 - *v0));
                }
            }
            return run(*ramp.outputs.back(), output);
        }
        std::vector<double> values;
        for (std::size_t i = 0; i < stops.size(); ++i) {
            auto const v = numeric(i);
            if (!v) throw std::invalid_argument("only numeric outputs interpolate in QGIS");
            values.push_back(*v);
        }
        std::string const x = run(*ramp.input, false);
        std::string s = "CASE WHEN " + x + " IS NULL THEN " + number(values.front());
        s += " WHEN " + x + " <= " + number(stops.front()) + " THEN " + number(values.front());
        for (std::size_t i = 1; i < stops.size(); ++i) {
            double const x0 = stops[i - 1], x1 = stops[i];
            double const v0 = values[i - 1], v1 = values[i];
            s += " WHEN " + x + " <= " + number(x1) + " THEN " + number(v0) + " + (" + x + " - " + number(x0) + ") * " +
                 number((v1 - v0) / (x1 - x0));
        }
        return s + " ELSE " + number(values.back()) + " END";
    }

    double m_zoom;
    std::string (*m_map)(std::string const&);
};

} // namespace

std::string qgis_expression(style::Expression const& expr, double zoom, std::string (*literal_map)(std::string const&))
{
    return Translator(zoom, literal_map).run(expr, true);
}

std::string qgis_string(std::string const& text)
{
    return quote_string(text);
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
