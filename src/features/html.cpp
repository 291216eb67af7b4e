#include "html.hpp"

#include "sahelmap/core/markup.hpp"

namespace sahelmap::features::detail {

namespace {

using json = nlohmann::ordered_json;

std::string text_of(json const& v)
{
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "";
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

void links_list(std::string& out, json const& links)
{
    if (!links.is_array()) return;
    out += "<ul class=\"links\">\n";
    for (auto const& l : links) {
        out += "<li><a href=\"" + xml_escape(text_of(l.value("href", json()))) + "\">" +
               xml_escape(text_of(l.value("title", l.value("href", json())))) + "</a> <small>(" +
               xml_escape(text_of(l.value("rel", json()))) + ", " + xml_escape(text_of(l.value("type", json()))) +
               ")</small></li>\n";
    }
    out += "</ul>\n";
}

void properties_table(std::string& out, json const& props)
{
    out += "<table>\n";
    for (auto const& [k, v] : props.items())
        out += "<tr><th>" + xml_escape(k) + "</th><td>" + xml_escape(text_of(v)) + "</td></tr>\n";
    out += "</table>\n";
}

/// An OpenAPI document's paths: each operation with its parameters
/// (references into components resolved) and what they mean.
void api_paths(std::string& out, json const& doc)
{
    auto const resolve = [&](json const& p) -> json const& {
        if (!p.contains("$ref")) return p;
        auto const ref = p["$ref"].get<std::string>(); // "#/components/parameters/name"
        return doc["components"]["parameters"][ref.substr(ref.rfind('/') + 1)];
    };
    std::string const base =
        doc.value("servers", json::array()).empty() ? std::string() : doc["servers"][0].value("url", std::string());
    if (doc.contains("info")) out += "<p>" + xml_escape(text_of(doc["info"].value("description", json()))) + "</p>\n";
    out += "<h2>Paths</h2>\n<table>\n<tr><th>GET</th><th>what</th><th>parameters</th></tr>\n";
    for (auto const& [path, item] : doc["paths"].items()) {
        auto const& get = item["get"];
        out += "<tr><td><code>" + xml_escape(base + path) + "</code></td><td>" +
               xml_escape(text_of(get.value("summary", json()))) + "</td><td>";
        for (auto const& p : get.value("parameters", json::array())) {
            auto const& param = resolve(p);
            out += "<code>" + xml_escape(text_of(param.value("name", json()))) + "</code> (" +
                   xml_escape(text_of(param.value("in", json()))) + ")";
            if (param.contains("description")) out += ": " + xml_escape(text_of(param["description"]));
            out += "<br>";
        }
        out += "</td></tr>\n";
    }
    out += "</table>\n";
}

} // namespace

std::string html_page(std::string const& title, json const& doc)
{
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + xml_escape(title) +
                      "</title>\n<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}"
                      "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}</style>"
                      "</head>\n<body>\n<h1>" +
                      xml_escape(title) + "</h1>\n";
    if (doc.contains("description")) out += "<p>" + xml_escape(text_of(doc["description"])) + "</p>\n";
    links_list(out, doc.value("links", json()));
    if (doc.contains("conformsTo")) {
        out += "<h2>Conformance classes</h2>\n<ul>\n";
        for (auto const& c : doc["conformsTo"]) out += "<li>" + xml_escape(text_of(c)) + "</li>\n";
        out += "</ul>\n";
    }
    if (doc.contains("collections")) {
        out += "<h2>Collections</h2>\n<table>\n<tr><th>id</th><th>title</th><th>description</th></tr>\n";
        for (auto const& c : doc["collections"]) {
            std::string const id = text_of(c.value("id", json()));
            out += "<tr><td><a href=\"collections/" + xml_escape(id) + "?f=html\">" + xml_escape(id) + "</a></td><td>" +
                   xml_escape(text_of(c.value("title", json()))) + "</td><td>" +
                   xml_escape(text_of(c.value("description", json()))) + "</td></tr>\n";
        }
        out += "</table>\n";
    }
    if (doc.contains("extent")) {
        out += "<h2>Extent</h2>\n<pre>" + xml_escape(doc["extent"].dump(2)) + "</pre>\n";
    }
    if (doc.contains("features")) {
        out += "<p>" + xml_escape(text_of(doc.value("numberReturned", json()))) + " of " +
               xml_escape(text_of(doc.value("numberMatched", json()))) + " features</p>\n";
        for (auto const& f : doc["features"]) {
            std::string const id = text_of(f.value("id", json()));
            out += "<h3><a href=\"items/" + xml_escape(id) + "?f=html\">" + xml_escape(id) + "</a></h3>\n";
            properties_table(out, f.value("properties", json::object()));
        }
    } else if (doc.contains("properties")) {
        properties_table(out, doc["properties"]);
        out += "<h2>Geometry</h2>\n<pre>" + xml_escape(text_of(doc.value("geometry", json()))) + "</pre>\n";
    }
    if (doc.contains("paths")) api_paths(out, doc);
    out += "</body></html>\n";
    return out;
}

} // namespace sahelmap::features::detail
