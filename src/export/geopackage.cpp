#include "sahelmap/export/geopackage.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/export/output.hpp"
#include "sahelmap/export/qgis_style.hpp"
#include "sahelmap/influence/layer.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <memory>
#include <mutex>

namespace sahelmap::exports {

namespace {

struct DatasetCloser {
    void operator()(void* ds) const noexcept { GDALClose(ds); }
};
struct FeatureDestroyer {
    void operator()(void* f) const noexcept { OGR_F_Destroy(f); }
};
struct SrsReleaser {
    void operator()(void* s) const noexcept { OSRRelease(static_cast<OGRSpatialReferenceH>(s)); }
};
struct GeometryDestroyer {
    void operator()(void* g) const noexcept { OGR_G_DestroyGeometry(g); }
};
struct FieldDefnDestroyer {
    void operator()(void* f) const noexcept { OGR_Fld_Destroy(static_cast<OGRFieldDefnH>(f)); }
};
using DatasetPtr = std::unique_ptr<void, DatasetCloser>;
using FeaturePtr = std::unique_ptr<void, FeatureDestroyer>;
using SrsPtr = std::unique_ptr<void, SrsReleaser>;
using GeometryPtr = std::unique_ptr<void, GeometryDestroyer>;
using FieldDefnPtr = std::unique_ptr<void, FieldDefnDestroyer>;

struct StringList {
    char** list = nullptr;
    ~StringList() { CSLDestroy(list); }
    void set(char const* key, char const* value) { list = CSLSetNameValue(list, key, value); }
};

/// What a GDAL call left in CPLGetLastErrorMsg, with a fallback.
std::string gdal_error(char const* fallback)
{
    std::string msg = CPLGetLastErrorMsg();
    CPLErrorReset();
    return msg.empty() ? fallback : msg;
}

enum class FieldKind { integer, real, boolean, date, string };

FieldKind kind_of_field(FeatureLayer const& layer, std::size_t i)
{
    bool any = false, all_int = true, all_num = true, all_bool = true, all_date = true;
    for (auto const& f : layer.features) {
        auto const& v = f.values[i];
        if (v.is_null()) continue;
        any = true;
        auto const* d = v.as_number();
        all_num = all_num && d;
        all_int = all_int && d && std::isfinite(*d) && std::floor(*d) == *d && std::fabs(*d) < 9e15;
        all_bool = all_bool && v.is_bool();
        auto const* s = v.as_string();
        all_date = all_date && s && s->size() == 10 && Date::parse(*s).has_value();
    }
    if (!any) return FieldKind::string;
    if (all_bool) return FieldKind::boolean;
    if (all_int) return FieldKind::integer;
    if (all_num) return FieldKind::real;
    if (all_date) return FieldKind::date;
    return FieldKind::string;
}

/// Whether every feature has a single part (written as Point, LineString,
/// Polygon, as the source layers are, rather than their multi forms).
bool single_parts(FeatureLayer const& layer)
{
    for (auto const& f : layer.features) {
        std::size_t const parts = std::visit(
            [](auto const& g) -> std::size_t {
                using T = std::decay_t<decltype(g)>;
                if constexpr (std::is_same_v<T, MultiPoint<LonLat>>)
                    return g.points.size();
                else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>)
                    return g.lines.size();
                else
                    return g.polygons.size();
            },
            f.geometry);
        if (parts != 1) return false;
    }
    return true;
}

OGRwkbGeometryType geometry_type(FeatureLayer const& layer)
{
    bool const single = single_parts(layer);
    switch (layer.kind) {
    case GeometryKind::point:
        return single ? wkbPoint : wkbMultiPoint;
    case GeometryKind::line:
        return single ? wkbLineString : wkbMultiLineString;
    case GeometryKind::polygon:
        return single ? wkbPolygon : wkbMultiPolygon;
    default:
        return wkbNone;
    }
}

OGRGeometryH ring_or_line(std::vector<LonLat> const& points, OGRwkbGeometryType type)
{
    OGRGeometryH g = OGR_G_CreateGeometry(type);
    OGR_G_SetPointCount(g, static_cast<int>(points.size()));
    for (std::size_t i = 0; i < points.size(); ++i)
        OGR_G_SetPoint_2D(g, static_cast<int>(i), points[i].lon, points[i].lat);
    return g;
}

OGRGeometryH polygon(Polygon<LonLat> const& poly)
{
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPolygon);
    for (auto const& ring : poly) OGR_G_AddGeometryDirectly(g, ring_or_line(ring, wkbLinearRing));
    return g;
}

/// The OGR geometry of `geom` in the layer's type (single or multi).
GeometryPtr make_geometry(Geometry<LonLat> const& geom, OGRwkbGeometryType type)
{
    return std::visit(
        [&](auto const& g) -> GeometryPtr {
            using T = std::decay_t<decltype(g)>;
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>) {
                auto point = [](LonLat p) {
                    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
                    OGR_G_SetPoint_2D(pt, 0, p.lon, p.lat);
                    return pt;
                };
                if (type == wkbPoint) return GeometryPtr(point(g.points.front()));
                OGRGeometryH m = OGR_G_CreateGeometry(wkbMultiPoint);
                for (auto const& p : g.points) OGR_G_AddGeometryDirectly(m, point(p));
                return GeometryPtr(m);
            } else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>) {
                if (type == wkbLineString) return GeometryPtr(ring_or_line(g.lines.front(), wkbLineString));
                OGRGeometryH m = OGR_G_CreateGeometry(wkbMultiLineString);
                for (auto const& l : g.lines) OGR_G_AddGeometryDirectly(m, ring_or_line(l, wkbLineString));
                return GeometryPtr(m);
            } else {
                if (type == wkbPolygon) return GeometryPtr(polygon(g.polygons.front()));
                OGRGeometryH m = OGR_G_CreateGeometry(wkbMultiPolygon);
                for (auto const& p : g.polygons) OGR_G_AddGeometryDirectly(m, polygon(p));
                return GeometryPtr(m);
            }
        },
        geom);
}

class Writer {
public:
    Writer(std::filesystem::path path, std::string display) : m_path(std::move(path)), m_display(std::move(display))
    {
        static std::once_flag once;
        std::call_once(once, [] { GDALAllRegister(); });
        GDALDriverH driver = GDALGetDriverByName("GPKG");
        if (!driver) throw DataError("cannot write " + m_display + ": this GDAL has no GeoPackage driver");
        CPLErrorReset();
        m_ds.reset(GDALCreate(driver, m_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_ds) throw DataError("cannot write " + m_display + ": " + gdal_error("GDAL could not create it"));
        m_wgs84.reset(OSRNewSpatialReference(nullptr));
        OSRImportFromEPSG(static_cast<OGRSpatialReferenceH>(m_wgs84.get()), 4326);
        OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(m_wgs84.get()), OAMS_TRADITIONAL_GIS_ORDER);
    }

    /// Writes one data layer; answers its geometry column ("" for a table).
    /// Field types come from `types`, the layer with all its features (a
    /// field empty on the day written keeps its type).
    std::string write_layer(FeatureLayer const& layer, FeatureLayer const& types)
    {
        OGRwkbGeometryType const type = geometry_type(types);
        StringList options;
        options.set("FID", "fid");
        options.set("GEOMETRY_NAME", "geom");
        options.set("SPATIAL_INDEX", "YES");
        options.set("IDENTIFIER", layer.name.c_str());
        OGRLayerH out = GDALDatasetCreateLayer(
            m_ds.get(), layer.name.c_str(),
            type == wkbNone ? nullptr : static_cast<OGRSpatialReferenceH>(m_wgs84.get()), type, options.list);
        if (!out) fail("layer " + layer.name);
        std::vector<FieldKind> kinds;
        for (std::size_t i = 0; i < layer.schema.fields.size(); ++i) {
            FieldKind const k = kind_of_field(types, i);
            kinds.push_back(k);
            OGRFieldType const t = k == FieldKind::integer   ? OFTInteger64
                                   : k == FieldKind::real    ? OFTReal
                                   : k == FieldKind::boolean ? OFTInteger
                                   : k == FieldKind::date    ? OFTDate
                                                             : OFTString;
            FieldDefnPtr defn(OGR_Fld_Create(layer.schema.fields[i].c_str(), t));
            if (k == FieldKind::boolean) OGR_Fld_SetSubType(static_cast<OGRFieldDefnH>(defn.get()), OFSTBoolean);
            if (OGR_L_CreateField(out, static_cast<OGRFieldDefnH>(defn.get()), TRUE) != OGRERR_NONE)
                fail("field " + layer.schema.fields[i] + " of layer " + layer.name);
        }
        if (GDALDatasetStartTransaction(m_ds.get(), FALSE) != OGRERR_NONE) fail("layer " + layer.name);
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(out);
        for (auto const& f : layer.features) {
            FeaturePtr feat(OGR_F_Create(defn));
            auto* h = static_cast<OGRFeatureH>(feat.get());
            OGR_F_SetFID(h, f.fid);
            for (std::size_t i = 0; i < f.values.size() && i < kinds.size(); ++i) {
                auto const& v = f.values[i];
                int const idx = static_cast<int>(i);
                if (v.is_null()) {
                    OGR_F_SetFieldNull(h, idx);
                } else if (kinds[i] == FieldKind::integer) {
                    OGR_F_SetFieldInteger64(h, idx, static_cast<GIntBig>(*v.as_number()));
                } else if (kinds[i] == FieldKind::real) {
                    OGR_F_SetFieldDouble(h, idx, *v.as_number());
                } else if (kinds[i] == FieldKind::boolean) {
                    OGR_F_SetFieldInteger(h, idx, *v.as_bool() ? 1 : 0);
                } else if (kinds[i] == FieldKind::date) {
                    auto const& s = *v.as_string();
                    OGR_F_SetFieldDateTime(h, idx, std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)),
                                           std::stoi(s.substr(8, 2)), 0, 0, 0, 0);
                } else {
                    OGR_F_SetFieldString(h, idx, v.to_string().c_str());
                }
            }
            if (type != wkbNone) {
                GeometryPtr g = make_geometry(f.geometry, type);
                OGR_F_SetGeometryDirectly(h, static_cast<OGRGeometryH>(g.release()));
            }
            if (OGR_L_CreateFeature(out, h) != OGRERR_NONE) fail("a feature of layer " + layer.name);
        }
        if (GDALDatasetCommitTransaction(m_ds.get()) != OGRERR_NONE) fail("layer " + layer.name);
        return type == wkbNone ? std::string() : std::string("geom");
    }

    /// The layer_styles table as QGIS creates it (QgsOgrProviderUtils: an
    /// attributes table through OGR, id as FID column).
    void write_styles(std::vector<std::pair<QgisLayerStyle, std::string>> const& styles, std::string const& style_id)
    {
        StringList options;
        options.set("FID", "id");
        OGRLayerH out = GDALDatasetCreateLayer(m_ds.get(), "layer_styles", nullptr, wkbNone, options.list);
        if (!out) fail("table layer_styles");
        struct Column {
            char const* name;
            OGRFieldType type;
            int width;
        };
        static constexpr Column kColumns[] = {{"f_table_catalog", OFTString, 256},
                                              {"f_table_schema", OFTString, 256},
                                              {"f_table_name", OFTString, 256},
                                              {"f_geometry_column", OFTString, 256},
                                              {"styleName", OFTString, 30},
                                              {"styleQML", OFTString, 0},
                                              {"styleSLD", OFTString, 0},
                                              {"useAsDefault", OFTInteger, 0},
                                              {"description", OFTString, 0},
                                              {"owner", OFTString, 30},
                                              {"ui", OFTString, 30},
                                              {"update_time", OFTDateTime, 0}};
        for (auto const& c : kColumns) {
            FieldDefnPtr defn(OGR_Fld_Create(c.name, c.type));
            auto* d = static_cast<OGRFieldDefnH>(defn.get());
            if (c.width) OGR_Fld_SetWidth(d, c.width);
            if (std::string_view(c.name) == "useAsDefault") OGR_Fld_SetSubType(d, OFSTBoolean);
            if (std::string_view(c.name) == "update_time") OGR_Fld_SetDefault(d, "CURRENT_TIMESTAMP");
            if (OGR_L_CreateField(out, d, TRUE) != OGRERR_NONE)
                fail(std::string("column ") + c.name + " of layer_styles");
        }
        if (GDALDatasetStartTransaction(m_ds.get(), FALSE) != OGRERR_NONE) fail("table layer_styles");
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(out);
        for (auto const& [style, geometry_column] : styles) {
            FeaturePtr feat(OGR_F_Create(defn));
            auto* h = static_cast<OGRFeatureH>(feat.get());
            std::string const name = style.layer + " (sahelmap " + style_id + ")";
            std::string description =
                "QGIS style of layer " + style.layer + " generated from the sahelmap style " + style_id + " (MapLibre)";
            for (auto const& n : style.notes) description += "; " + n;
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "f_table_catalog"), "");
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "f_table_schema"), "");
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "f_table_name"), style.layer.c_str());
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "f_geometry_column"), geometry_column.c_str());
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "styleName"), name.substr(0, 30).c_str());
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "styleQML"), style.qml.c_str());
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "styleSLD"), style.sld.c_str());
            OGR_F_SetFieldInteger(h, OGR_F_GetFieldIndex(h, "useAsDefault"), 1);
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "description"), description.c_str());
            OGR_F_SetFieldString(h, OGR_F_GetFieldIndex(h, "owner"), "sahelmap");
            OGR_F_SetFieldNull(h, OGR_F_GetFieldIndex(h, "ui"));
            std::time_t const now = std::time(nullptr);
            std::tm utc{};
            gmtime_r(&now, &utc);
            OGR_F_SetFieldDateTime(h, OGR_F_GetFieldIndex(h, "update_time"), utc.tm_year + 1900, utc.tm_mon + 1,
                                   utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, 100);
            if (OGR_L_CreateFeature(out, h) != OGRERR_NONE) fail("a row of layer_styles");
        }
        if (GDALDatasetCommitTransaction(m_ds.get()) != OGRERR_NONE) fail("table layer_styles");
    }

    void close()
    {
        CPLErrorReset();
        m_ds.reset();
        if (CPLGetLastErrorType() >= CE_Failure) fail("closing the file");
    }

private:
    [[noreturn]] void fail(std::string const& what)
    {
        throw DataError("cannot write " + m_display + " (" + what + "): " + gdal_error("GDAL refused"));
    }

    std::filesystem::path m_path;
    std::string m_display;
    SrsPtr m_wgs84;
    DatasetPtr m_ds;
};

} // namespace

GeoPackageResult write_geopackage(service::MapService const& service, GeoPackageOptions const& o)
{
    auto const& style = service.renderer(o.style).style(); // throws NotFound naming the style
    check_writable(o.out);
    // The file is the map of one date: a dated layer keeps the features valid
    // then (valid_from ≤ time < valid_to), so QGIS, which knows nothing of
    // our dates unless its temporal controller is on, shows that map.
    std::vector<std::pair<FeatureLayer const*, FeatureLayer const*>> layers; // written, types from
    std::vector<std::unique_ptr<FeatureLayer>> dated;
    for (auto const& l : service.store().layers) {
        if (!l.has_validity) {
            layers.emplace_back(&l, &l);
            continue;
        }
        auto& copy = *dated.emplace_back(std::make_unique<FeatureLayer>());
        copy.name = l.name;
        copy.source = l.source;
        copy.schema = l.schema;
        copy.kind = l.kind;
        copy.has_validity = true;
        for (auto const& f : l.features)
            if (f.validity.contains(o.time)) {
                copy.features.push_back(f);
                copy.extent.expand(f.bbox);
            }
        layers.emplace_back(&copy, &l);
    }
    std::shared_ptr<FeatureLayer const> influence;
    if (auto const* dynamic = service.data().layer(influence::kLayerName);
        dynamic && !service.store().find(influence::kLayerName)) {
        influence = dynamic->attributes(o.time);
        layers.emplace_back(influence.get(), influence.get());
    }

    GeoPackageResult result;
    write_atomically(
        o.out,
        [&](std::filesystem::path const& tmp) {
            Writer w(tmp, o.out.string());
            std::vector<std::pair<QgisLayerStyle, std::string>> styles;
            for (auto const& [l, types] : layers) {
                std::string const column = w.write_layer(*l, *types);
                result.layers.push_back(l->name);
                if (column.empty()) continue; // a table without geometry has nothing to style
                auto qs = qgis_style(style, *l);
                for (auto const& n : qs.notes) result.notes.push_back(l->name + ": " + n);
                styles.emplace_back(std::move(qs), column);
            }
            w.write_styles(styles, o.style);
            w.close();
        },
        ".gpkg");
    return result;
}

} // namespace sahelmap::exports
