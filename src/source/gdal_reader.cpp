#include "sahelmap/source/gdal_reader.hpp"

#include "gdal_common.hpp"
#include "sahelmap/core/error.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cstdio>
#include <memory>
#include <mutex>

namespace sahelmap::source {

using detail::init_gdal;
using detail::last_gdal_error;

namespace {

struct DatasetCloser {
    void operator()(void* ds) const noexcept { GDALClose(ds); }
};
struct FeatureDestroyer {
    void operator()(void* f) const noexcept { OGR_F_Destroy(f); }
};
struct SrsDestroyer {
    void operator()(void* s) const noexcept { OSRDestroySpatialReference(s); }
};
struct TransformDestroyer {
    void operator()(void* t) const noexcept { OCTDestroyCoordinateTransformation(t); }
};
struct GeometryDestroyer {
    void operator()(void* g) const noexcept { OGR_G_DestroyGeometry(g); }
};
using DatasetPtr = std::unique_ptr<void, DatasetCloser>;
using FeaturePtr = std::unique_ptr<void, FeatureDestroyer>;
using SrsPtr = std::unique_ptr<void, SrsDestroyer>;
using TransformPtr = std::unique_ptr<void, TransformDestroyer>;
using GeometryPtr = std::unique_ptr<void, GeometryDestroyer>;

class LayerReadError : public DataError {
public:
    using DataError::DataError;
};

/// Turns the layer's OGR field at i into a Value.
Value read_field(OGRFeatureH f, int i, OGRFieldType type)
{
    if (!OGR_F_IsFieldSetAndNotNull(f, i)) return {};
    switch (type) {
    case OFTInteger: return Value(OGR_F_GetFieldAsInteger(f, i));
    case OFTInteger64: return Value(static_cast<double>(OGR_F_GetFieldAsInteger64(f, i)));
    case OFTReal: return Value(OGR_F_GetFieldAsDouble(f, i));
    case OFTDate:
    case OFTDateTime: {
        int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
        float ss = 0;
        OGR_F_GetFieldAsDateTimeEx(f, i, &y, &m, &d, &hh, &mm, &ss, &tz);
        char buf[32];
        if (type == OFTDate || (hh == 0 && mm == 0 && ss == 0))
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        else
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02.0f", y, m, d, hh, mm,
                          static_cast<double>(ss));
        return Value(std::string(buf));
    }
    default: return Value(std::string(OGR_F_GetFieldAsString(f, i)));
    }
}

template <class Out> void read_points(OGRGeometryH g, Out& out)
{
    int const n = OGR_G_GetPointCount(g);
    out.reserve(out.size() + static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.push_back(LonLat{OGR_G_GetX(g, i), OGR_G_GetY(g, i)});
}

/// Flattens any OGR geometry into one of our three multi kinds; parts of
/// another dimension than `kind` are dropped.
void collect(OGRGeometryH g, GeometryKind kind, Geometry<LonLat>& out)
{
    auto const type = wkbFlatten(OGR_G_GetGeometryType(g));
    switch (type) {
    case wkbPoint:
        if (kind == GeometryKind::point && !OGR_G_IsEmpty(g))
            std::get<MultiPoint<LonLat>>(out).points.push_back({OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)});
        return;
    case wkbLineString:
        if (kind == GeometryKind::line) {
            LineString<LonLat> line;
            read_points(g, line);
            if (line.size() >= 2) std::get<MultiLineString<LonLat>>(out).lines.push_back(std::move(line));
        }
        return;
    case wkbPolygon:
        if (kind == GeometryKind::polygon) {
            Polygon<LonLat> poly;
            for (int r = 0; r < OGR_G_GetGeometryCount(g); ++r) {
                std::vector<LonLat> ring;
                read_points(OGR_G_GetGeometryRef(g, r), ring);
                if (ring.size() >= 4) poly.push_back(std::move(ring));
                else if (r == 0) break;
            }
            if (!poly.empty()) std::get<MultiPolygon<LonLat>>(out).polygons.push_back(std::move(poly));
        }
        return;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) collect(OGR_G_GetGeometryRef(g, i), kind, out);
        return;
    default: {
        // Curves, surfaces, TINs: let OGR linearise them, then read again.
        GeometryPtr linear(OGR_G_GetLinearGeometry(g, 0, nullptr));
        if (linear && wkbFlatten(OGR_G_GetGeometryType(linear.get())) != type)
            collect(static_cast<OGRGeometryH>(linear.get()), kind, out);
        return;
    }
    }
}

GeometryKind kind_of_type(OGRwkbGeometryType t)
{
    switch (wkbFlatten(t)) {
    case wkbPoint:
    case wkbMultiPoint: return GeometryKind::point;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve: return GeometryKind::line;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface: return GeometryKind::polygon;
    default: return GeometryKind::none;
    }
}

Geometry<LonLat> empty_geometry(GeometryKind kind)
{
    switch (kind) {
    case GeometryKind::line: return MultiLineString<LonLat>{};
    case GeometryKind::polygon: return MultiPolygon<LonLat>{};
    default: return MultiPoint<LonLat>{};
    }
}

std::optional<Date> validity_date(Value const& v, char const* field, std::int64_t fid)
{
    if (v.is_null()) return std::nullopt;
    auto const* s = v.as_string();
    std::optional<Date> d = s ? Date::parse(s->substr(0, 10)) : std::nullopt;
    if (!d)
        throw LayerReadError(std::string("feature ") + std::to_string(fid) + " has " + field + " '" + v.to_string() +
                             "', which is not a date YYYY-MM-DD");
    return d;
}

/// The connection as it may be shown in messages and listings.
std::string displayed(LayerSource const& src)
{
    return src.embedded ? "embedded default data" : detail::masked_connection(src.connection);
}

FeatureLayer read_layer_from(OGRLayerH layer, LayerSource const& src)
{
    FeatureLayer out;
    out.name = src.name;
    out.source = displayed(src);

    if (!src.where.empty() && OGR_L_SetAttributeFilter(layer, src.where.c_str()) != OGRERR_NONE)
        throw LayerReadError("the filter '" + src.where + "' is invalid: " + last_gdal_error("syntax error"));

    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int const field_count = OGR_FD_GetFieldCount(defn);
    std::vector<OGRFieldType> types;
    for (int i = 0; i < field_count; ++i) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        out.schema.fields.emplace_back(OGR_Fld_GetNameRef(fd));
        types.push_back(OGR_Fld_GetType(fd));
    }
    int const from_index = out.schema.index_of("valid_from");
    int const to_index = out.schema.index_of("valid_to");
    out.has_validity = from_index >= 0 || to_index >= 0;
    out.kind = kind_of_type(OGR_L_GetGeomType(layer));

    // Reproject to lon/lat when the layer is in another CRS (GDAL does it through PROJ).
    TransformPtr to_wgs84;
    if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
        SrsPtr wgs84(OSRNewSpatialReference(nullptr));
        OSRImportFromEPSG(static_cast<OGRSpatialReferenceH>(wgs84.get()), 4326);
        OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(wgs84.get()), OAMS_TRADITIONAL_GIS_ORDER);
        SrsPtr layer_srs(OSRClone(srs));
        OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(layer_srs.get()), OAMS_TRADITIONAL_GIS_ORDER);
        if (!OSRIsSame(static_cast<OGRSpatialReferenceH>(layer_srs.get()),
                       static_cast<OGRSpatialReferenceH>(wgs84.get()))) {
            to_wgs84.reset(OCTNewCoordinateTransformation(static_cast<OGRSpatialReferenceH>(layer_srs.get()),
                                                          static_cast<OGRSpatialReferenceH>(wgs84.get())));
            if (!to_wgs84)
                throw LayerReadError("its CRS cannot be transformed to EPSG:4326: " + last_gdal_error("PROJ error"));
        }
    }

    OGR_L_ResetReading(layer);
    while (FeaturePtr f{OGR_L_GetNextFeature(layer)}) {
        auto* fh = static_cast<OGRFeatureH>(f.get());
        Feature feat;
        feat.fid = OGR_F_GetFID(fh);
        feat.values.reserve(static_cast<std::size_t>(field_count));
        for (int i = 0; i < field_count; ++i) feat.values.push_back(read_field(fh, i, types[static_cast<std::size_t>(i)]));
        if (from_index >= 0) feat.validity.from = validity_date(feat.values[static_cast<std::size_t>(from_index)], "valid_from", feat.fid);
        if (to_index >= 0) feat.validity.to = validity_date(feat.values[static_cast<std::size_t>(to_index)], "valid_to", feat.fid);

        OGRGeometryH g = OGR_F_GetGeometryRef(fh);
        if (g && out.kind == GeometryKind::none) out.kind = kind_of_type(OGR_G_GetGeometryType(g));
        feat.geometry = empty_geometry(out.kind);
        if (g && out.kind != GeometryKind::none) {
            if (to_wgs84 && OGR_G_Transform(g, static_cast<OGRCoordinateTransformationH>(to_wgs84.get())) != OGRERR_NONE)
                throw LayerReadError("feature " + std::to_string(feat.fid) + " cannot be reprojected to EPSG:4326");
            collect(g, out.kind, feat.geometry);
            feat.bbox = bbox_of(feat.geometry);
            out.extent.expand(feat.bbox);
        }
        out.features.push_back(std::move(feat));
    }
    if (CPLGetLastErrorType() >= CE_Failure) throw LayerReadError(last_gdal_error("read error"));
    return out;
}

} // namespace

FeatureLayer read_layer(LayerSource const& src)
{
    init_gdal();
    std::string const where = "layer " + src.name + " in " + displayed(src);
    CPLErrorReset();
    DatasetPtr ds(GDALOpenEx(src.connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds) throw DataError(where + ": cannot open the source: " + last_gdal_error("no GDAL driver can read it"));
    OGRLayerH layer = GDALDatasetGetLayerByName(ds.get(), src.layer.c_str());
    if (!layer) {
        std::string names;
        for (int i = 0; i < GDALDatasetGetLayerCount(ds.get()); ++i)
            names += (i ? ", " : "") + std::string(OGR_L_GetName(GDALDatasetGetLayer(ds.get(), i)));
        throw DataError(where + ": the source has no layer named '" + src.layer + "' (it has: " +
                        (names.empty() ? "none" : names) + ")");
    }
    try {
        return read_layer_from(layer, src);
    } catch (LayerReadError const& e) {
        throw DataError(where + ": " + e.what());
    }
}

std::shared_ptr<FeatureStore const> load_store(Config const& config)
{
    auto store = std::make_shared<FeatureStore>();
    for (auto const& src : config.layers) store->layers.push_back(read_layer(src));
    return store;
}

} // namespace sahelmap::source
