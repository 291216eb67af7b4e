// `sahelmap export`: the styled GeoPackage read back by ogrinfo/ogr2ogr,
// its QGIS styles checked with xmllint; and the QML/SLD translation itself.
#include "helpers.hpp"
#include "support/fixture.hpp"

#include "sahelmap/export/qgis_style.hpp"
#include "sahelmap/influence/layer.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

Date const kTime = *Date::parse("2025-11-01");

/// The feature layers the GeoPackage must hold: the store's with the
/// features valid at kTime, and the influence layer at kTime.
std::vector<std::shared_ptr<FeatureLayer const>> expected_layers()
{
    auto const& svc = default_service();
    std::vector<std::shared_ptr<FeatureLayer const>> out;
    for (auto const& l : svc.store().layers) {
        auto copy = std::make_shared<FeatureLayer>(l);
        std::erase_if(copy->features, [](Feature const& f) { return !f.validity.contains(kTime); });
        out.push_back(std::move(copy));
    }
    out.push_back(svc.data().layer(influence::kLayerName)->attributes(kTime));
    return out;
}

/// Compares a GeoJSON property (as ogr2ogr writes it) with our value.
bool same_value(nlohmann::json const& j, Value const& v)
{
    if (v.is_null()) return j.is_null();
    if (auto const* d = v.as_number()) return j.is_number() && std::abs(j.get<double>() - *d) < 1e-9;
    if (auto const* b = v.as_bool()) return j.is_boolean() && j.get<bool>() == *b;
    return j.is_string() && j.get<std::string>() == v.to_string();
}

/// `sahelmap export` into a scratch folder of its own (ctest runs cases in parallel).
struct Exported {
    explicit Exported(std::string const& name) : dir(name)
    {
        run = run_command(sahelmap_bin() + " export --time 2025-11-01 --out " + file.string());
    }
    ScratchDir dir;
    std::filesystem::path file = dir / "sahel.gpkg";
    RunResult run;
};

} // namespace

TEST_CASE("export: every layer with its features, fids, attributes and geometry", "[export]")
{
    require_tool("ogrinfo");
    require_tool("ogr2ogr");
    Exported const e("export-layers");
    INFO(e.run.out);
    REQUIRE(e.run.exit_code == 0);
    CHECK(count_files(e.dir.path()) == 1);

    auto info = run_command("ogrinfo -ro -so -al " + e.file.string());
    INFO(info.out.substr(0, 4000));
    REQUIRE(info.exit_code == 0);
    CHECK(info.out.find("using driver `GPKG'") != std::string::npos);
    for (auto const& layer : expected_layers()) {
        INFO("layer " << layer->name);
        CHECK(info.out.find("Layer name: " + layer->name + "\n") != std::string::npos);
        auto const doc = ogr_geojson(e.file, layer->name);
        auto const& features = doc.at("features");
        REQUIRE(features.size() == layer->features.size());
        std::map<std::int64_t, nlohmann::json const*> by_fid;
        for (auto const& f : features) by_fid[f.at("id").get<std::int64_t>()] = &f;
        for (auto const& f : layer->features) {
            INFO("fid " << f.fid);
            auto it = by_fid.find(f.fid);
            REQUIRE(it != by_fid.end());
            auto const& props = it->second->at("properties");
            for (std::size_t i = 0; i < layer->schema.fields.size(); ++i) {
                auto const& name = layer->schema.fields[i];
                INFO("field " << name << " = " << f.values[i].to_string());
                REQUIRE(props.contains(name));
                CHECK(same_value(props[name], f.values[i]));
            }
            if (layer->kind == GeometryKind::point) {
                auto const& p = std::get<MultiPoint<LonLat>>(f.geometry).points.front();
                auto const& c = it->second->at("geometry").at("coordinates");
                CHECK(c[0].get<double>() == Approx(p.lon).margin(1e-9));
                CHECK(c[1].get<double>() == Approx(p.lat).margin(1e-9));
            }
        }
    }
    // The map of one date: a feature that ended before it, or starts after
    // it, is not in the file (the default data has both kinds).
    std::size_t left_out = 0;
    for (auto const& l : default_service().store().layers)
        for (auto const& f : l.features) left_out += !f.validity.contains(kTime);
    CHECK(left_out > 0);
    // Dates stay dates, as in the source GeoPackage.
    CHECK(run_command("ogrinfo -ro -so " + e.file.string() + " sites").out.find("valid_from: Date") !=
          std::string::npos);
}

TEST_CASE("export: a QGIS style per layer in layer_styles, QML and SLD well-formed", "[export]")
{
    require_tool("ogr2ogr");
    require_tool("xmllint");
    Exported const e("export-styles");
    INFO(e.run.out);
    REQUIRE(e.run.exit_code == 0);
    auto const doc = ogr_geojson(e.file, "layer_styles");
    std::map<std::string, nlohmann::json> rows;
    for (auto const& f : doc.at("features")) {
        auto const& p = f.at("properties");
        CHECK(rows.emplace(p.at("f_table_name").get<std::string>(), p).second); // one row per layer
    }
    std::size_t geometry_layers = 0;
    for (auto const& l : expected_layers()) geometry_layers += l->kind != GeometryKind::none;
    CHECK(rows.size() == geometry_layers);

    struct Expect {
        std::string layer, renderer, attr, symbolizer;
    };
    Expect const expects[] = {
        {"countries", "categorizedSymbol", "bloc", "se:PolygonSymbolizer"},
        {"borders", "categorizedSymbol", "kind", "se:LineSymbolizer"},
        {"regions", "singleSymbol", "", "se:PolygonSymbolizer"},
        {"sites", "categorizedSymbol", "actor", "se:PointSymbolizer"},
        {"corridors", "categorizedSymbol", "actor", "se:LineSymbolizer"},
        {"places", "singleSymbol", "", "se:PointSymbolizer"},
        {"influence", "categorizedSymbol", "dominant", "se:PolygonSymbolizer"},
    };
    for (auto const& x : expects) {
        INFO("layer " << x.layer);
        REQUIRE(rows.count(x.layer) == 1);
        auto const& row = rows.at(x.layer);
        CHECK(row.at("useAsDefault") == true);
        CHECK(row.at("f_geometry_column") == "geom");
        CHECK(row.at("f_table_catalog") == "");
        CHECK(!row.at("styleName").get<std::string>().empty());
        auto const qml = row.at("styleQML").get<std::string>();
        auto const sld = row.at("styleSLD").get<std::string>();
        INFO(qml.substr(0, 1500));
        CHECK(well_formed_xml(e.dir / (x.layer + ".qml"), qml));
        CHECK(well_formed_xml(e.dir / (x.layer + ".sld"), sld));
        CHECK(qml.rfind("<!DOCTYPE qgis", 0) == 0);
        CHECK(qml.find("<renderer-v2 type=\"" + x.renderer + "\"") != std::string::npos);
        if (!x.attr.empty()) CHECK(qml.find("attr=\"" + x.attr + "\"") != std::string::npos);
        CHECK(sld.find("<StyledLayerDescriptor") != std::string::npos);
        CHECK(sld.find("<" + x.symbolizer + ">") != std::string::npos);
        std::filesystem::remove(e.dir / (x.layer + ".qml"));
        std::filesystem::remove(e.dir / (x.layer + ".sld"));
    }
    // Colours come from the style: AES countries #f1e2c0, Africa Corps red #d62728.
    CHECK(rows.at("countries").at("styleQML").get<std::string>().find("241,226,192,255") != std::string::npos);
    CHECK(rows.at("countries").at("styleSLD").get<std::string>().find("#f1e2c0") != std::string::npos);
    CHECK(rows.at("sites").at("styleQML").get<std::string>().find("214,39,40,255") != std::string::npos);
    // Labels where the style has text-field; a dashed line where it has line-dasharray.
    CHECK(rows.at("regions").at("styleQML").get<std::string>().find("fieldName=\"name\"") != std::string::npos);
    CHECK(rows.at("borders").at("styleQML").get<std::string>().find("\"use_custom_dash\" v=\"1\"") !=
          std::string::npos);

    // Categories read as people's words: the style's own text for a value,
    // else the value in title case.
    auto const sites = rows.at("sites").at("styleQML").get<std::string>();
    CHECK(sites.find("value=\"russia_africa_corps\" label=\"Africa Corps\"") != std::string::npos);
    CHECK(sites.find("label=\"russia_africa_corps\"") == std::string::npos);
    CHECK(rows.at("borders").at("styleQML").get<std::string>().find("value=\"aes_external\" label=\"AES External\"") !=
          std::string::npos);
    // Confidence and status stay visible: marker fill, outline and opacity by data.
    for (char const* dd : {"name=\"fillColor\"", "name=\"outlineColor\"", "name=\"outlineWidth\"",
                           "&quot;confidence&quot; = &apos;low&apos;", "&quot;status&quot;"})
        CHECK(sites.find(dd) != std::string::npos);
    auto const places = rows.at("places").at("styleQML").get<std::string>();
    // Within a category each style layer is switched on by its own filter:
    // a claimed corridor is dotted, a confirmed road has its casing.
    auto const corridors = rows.at("corridors").at("styleQML").get<std::string>();
    CHECK(corridors.find("name=\"enabled\"") != std::string::npos);
    CHECK(corridors.find("value=\"(&quot;confidence&quot; = &apos;low&apos;)") != std::string::npos);
    // A style layer's zoom range is a map-scale condition (capitals from zoom 3).
    CHECK(places.find("@map_scale &lt;= " + std::to_string(std::lround(591657527.591555 / 8))) != std::string::npos);
    // Labels: one rule per style layer with text, with its filter and zoom
    // range; a polygon or a line is no obstacle to other layers' labels.
    CHECK(places.find("<labeling type=\"rule-based\">") != std::string::npos);
    CHECK(places.find("description=\"places-capitals\" filter=\"(&quot;kind&quot; = &apos;capital&apos;)\"") !=
          std::string::npos);
    CHECK(places.find("description=\"places-towns\" filter=\"(&quot;rank&quot; &gt;= 2)\"") != std::string::npos);
    for (char const* layer : {"countries", "regions", "borders", "corridors", "influence"}) {
        INFO("layer " << layer);
        CHECK(rows.at(layer).at("styleQML").get<std::string>().find("obstacle=\"1\"") == std::string::npos);
    }
}

TEST_CASE("export: bad parameters give one sentence, the right exit code and no file", "[export]")
{
    ScratchDir dir("export-bad");
    auto const out = (dir / "x.gpkg").string();
    check_refusals("export",
                   {
                       {"--style nope --out " + out, 2, "nope"},
                       {"--time 2025-13-01 --out " + out, 2, "2025-13-01"},
                       {"", 2, "--out"},
                       {"--out -", 2, "--out"},
                       {"extra --out " + out, 2, "'extra'"},
                       {"--color red --out " + out, 2, "--color"},
                       {"--out " + (dir / "missing" / "x.gpkg").string(), 1, (dir / "missing" / "x.gpkg").string()},
                       {"--out " + dir.path().string(), 1, dir.path().string()},
                   },
                   dir.path());
    auto help = run_command(sahelmap_bin() + " export --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("layer_styles") != std::string::npos);
}

TEST_CASE("export: MapLibre expressions become QGIS renderers", "[export]")
{
    FeatureLayer layer;
    layer.name = "sites";
    layer.kind = GeometryKind::point;
    layer.schema.fields = {"actor", "name", "strength"};
    auto add = [&](char const* actor, char const* name, double strength) {
        Feature f;
        f.fid = static_cast<std::int64_t>(layer.features.size()) + 1;
        f.values = {Value(actor), Value(name), Value(strength)};
        f.geometry = MultiPoint<LonLat>{{{1, 2}}};
        layer.features.push_back(std::move(f));
    };
    add("a", "One", 1);
    add("b", "Two", 5);
    add("a", "Three", 3);

    SECTION("match on a field: categorized, one category per value, colours from the match")
    {
        auto st = style::Style::parse("t", R"json({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": [
            {"id": "c", "type": "circle", "source": "s", "source-layer": "sites",
             "paint": {"circle-color": ["match", ["get", "actor"], "a", "#ff0000", "#0000ff"],
                       "circle-radius": ["interpolate", ["linear"], ["zoom"], 4, 2, 8, 6]}},
            {"id": "l", "type": "symbol", "source": "s", "source-layer": "sites",
             "layout": {"text-field": ["get", "name"], "text-size": 11}}]})json",
                                      {"sites"});
        auto const qs = exports::qgis_style(*st, layer, 6);
        CHECK(qs.renderer == "categorizedSymbol");
        CHECK(qs.field == "actor");
        CHECK(qs.qml.find("value=\"a\"") != std::string::npos);
        CHECK(qs.qml.find("value=\"b\"") != std::string::npos);
        CHECK(qs.qml.find("255,0,0,255") != std::string::npos);
        CHECK(qs.qml.find("0,0,255,255") != std::string::npos);
        CHECK(qs.qml.find("\"size\" v=\"8\"") != std::string::npos); // radius 4 at zoom 6 → 8 px across
        CHECK(qs.qml.find("fieldName=\"name\" isExpression=\"0\"") != std::string::npos);
        CHECK(qs.sld.find("<ogc:Literal>a</ogc:Literal>") != std::string::npos);
    }
    SECTION("constants: a single symbol; a composite label becomes a QGIS expression")
    {
        auto st = style::Style::parse("t", R"json({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": [
            {"id": "c", "type": "circle", "source": "s", "source-layer": "sites",
             "paint": {"circle-color": "#336699", "circle-radius": 3}},
            {"id": "l", "type": "symbol", "source": "s", "source-layer": "sites",
             "layout": {"text-field": ["concat", ["upcase", ["get", "name"]], " (", ["get", "actor"], ")"]}}]})json",
                                      {"sites"});
        auto const qs = exports::qgis_style(*st, layer, 6);
        CHECK(qs.renderer == "singleSymbol");
        CHECK(qs.qml.find("51,102,153,255") != std::string::npos);
        CHECK(qs.qml.find("isExpression=\"1\"") != std::string::npos);
        CHECK(qs.qml.find("concat(upper(&quot;name&quot;), &apos; (&apos;, &quot;actor&quot;, &apos;)&apos;)") !=
              std::string::npos);
    }
    SECTION("a layer the style does not draw gets a stand-in symbol and says so")
    {
        auto st = style::Style::parse(
            "t", R"json({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": []})json", {"sites"});
        auto const qs = exports::qgis_style(*st, layer, 6);
        CHECK(qs.renderer == "singleSymbol");
        REQUIRE(!qs.notes.empty());
        CHECK(qs.notes.front().find("grey") != std::string::npos);
    }
}
