// Vector tile encoding with protozero. The geometry comes from the level of
// detail the renderer uses for the same zoom (vertices snapped to a quarter
// pixel, i.e. 4 tile units), so the vector tile and the PNG agree.
#include "sahelmap/vector/mvt.hpp"

#include "clip.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/geo/clip.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"

#include <protozero/pbf_writer.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace sahelmap::vector {

namespace {

using detail::TilePoint;

// Field numbers of vector_tile.proto (MVT 2.1).
namespace tag {
constexpr protozero::pbf_tag_type tile_layers = 3;
constexpr protozero::pbf_tag_type layer_version = 15, layer_name = 1, layer_features = 2, layer_keys = 3,
                                  layer_values = 4, layer_extent = 5;
constexpr protozero::pbf_tag_type feature_id = 1, feature_tags = 2, feature_type = 3, feature_geometry = 4;
constexpr protozero::pbf_tag_type value_string = 1, value_double = 3, value_uint = 5, value_sint = 6, value_bool = 7;
} // namespace tag

enum GeomType : std::int32_t { kPoint = 1, kLineString = 2, kPolygon = 3 };
enum Command : std::uint32_t { kMoveTo = 1, kLineTo = 2, kClosePath = 7 };

constexpr std::uint32_t command(Command id, std::size_t count)
{
    return (static_cast<std::uint32_t>(id) & 0x7) | (static_cast<std::uint32_t>(count) << 3);
}
constexpr std::uint32_t zigzag(std::int32_t n)
{
    return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
}

struct IntPoint {
    std::int32_t x = 0;
    std::int32_t y = 0;
    friend bool operator==(IntPoint const&, IntPoint const&) = default;
};

/// Twice the signed area in tile coordinates (y down): positive for a ring
/// that turns clockwise on screen, which MVT 2.1 wants for exteriors.
std::int64_t area2(std::vector<IntPoint> const& ring)
{
    std::int64_t a = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        a += static_cast<std::int64_t>(ring[j].x) * ring[i].y - static_cast<std::int64_t>(ring[i].x) * ring[j].y;
    return a;
}

/// Map units → tile units for one tile.
struct TileFrame {
    double minx, maxy, scale;
    TilePoint to_tile(Projected p) const noexcept { return {(p.x - minx) * scale, (maxy - p.y) * scale}; }
};

std::vector<IntPoint> rounded(std::vector<TilePoint> const& pts)
{
    std::vector<IntPoint> out;
    out.reserve(pts.size());
    for (auto const& p : pts) {
        IntPoint const q{static_cast<std::int32_t>(std::lround(p.x)), static_cast<std::int32_t>(std::lround(p.y))};
        if (out.empty() || !(out.back() == q)) out.push_back(q);
    }
    return out;
}

/// Writes command-encoded geometry, keeping the cursor across parts.
class GeometryEncoder {
public:
    explicit GeometryEncoder(std::vector<std::uint32_t>& out) : m_out(out) {}

    void points(std::vector<IntPoint> const& pts)
    {
        if (pts.empty()) return;
        m_out.push_back(command(kMoveTo, pts.size()));
        for (auto const& p : pts) delta(p);
    }
    void line(std::vector<IntPoint> const& pts, bool close)
    {
        m_out.push_back(command(kMoveTo, 1));
        delta(pts.front());
        m_out.push_back(command(kLineTo, pts.size() - 1));
        for (std::size_t i = 1; i < pts.size(); ++i) delta(pts[i]);
        if (close) m_out.push_back(command(kClosePath, 1));
    }

private:
    void delta(IntPoint p)
    {
        m_out.push_back(zigzag(p.x - m_cursor.x));
        m_out.push_back(zigzag(p.y - m_cursor.y));
        m_cursor = p;
    }
    std::vector<std::uint32_t>& m_out;
    IntPoint m_cursor;
};

/// Encodes one feature's geometry clipped to `box` (tile units); returns
/// the MVT geometry type, or 0 when nothing of it is left in the box.
std::int32_t encode_geometry(Geometry<Projected> const& g, TileFrame const& frame, BBox const& box, bool whole_inside,
                             std::vector<std::uint32_t>& out)
{
    out.clear();
    GeometryEncoder enc(out);
    std::vector<TilePoint> pts;
    auto to_tile = [&](std::vector<Projected> const& src) {
        pts.clear();
        pts.reserve(src.size());
        for (auto const& p : src) pts.push_back(frame.to_tile(p));
    };

    if (auto const* mp = std::get_if<MultiPoint<Projected>>(&g)) {
        std::vector<IntPoint> kept;
        for (auto const& p : mp->points) {
            auto const t = frame.to_tile(p);
            if (!box.contains(t.x, t.y)) continue;
            IntPoint const q{static_cast<std::int32_t>(std::lround(t.x)), static_cast<std::int32_t>(std::lround(t.y))};
            if (std::find(kept.begin(), kept.end(), q) == kept.end()) kept.push_back(q);
        }
        enc.points(kept);
        return kept.empty() ? 0 : kPoint;
    }
    if (auto const* ml = std::get_if<MultiLineString<Projected>>(&g)) {
        for (auto const& line : ml->lines) {
            to_tile(line);
            auto emit = [&](std::vector<TilePoint> const& part) {
                auto r = rounded(part);
                if (r.size() >= 2) enc.line(r, false);
            };
            if (whole_inside)
                emit(pts);
            else
                for (auto const& part : detail::clip_line(pts, box)) emit(part);
        }
        return out.empty() ? 0 : kLineString;
    }
    for (auto const& poly : std::get<MultiPolygon<Projected>>(g).polygons) {
        bool exterior = true;
        for (auto const& ring : poly) {
            to_tile(ring);
            auto r = rounded(whole_inside ? pts : geo::clip_ring(pts, box));
            if (r.size() > 1 && r.front() == r.back()) r.pop_back();
            std::int64_t const a = r.size() >= 3 ? area2(r) : 0;
            if (a == 0) {
                if (exterior) break; // nothing of this polygon in the tile: skip its holes too
                continue;
            }
            // Exterior rings clockwise on screen (positive area), holes the other way.
            if ((a > 0) != exterior) std::reverse(r.begin(), r.end());
            enc.line(r, true);
            exterior = false;
        }
    }
    return out.empty() ? 0 : kPolygon;
}

/// Keys and values of one layer, each stored once and referred to by index.
/// The mark of a feature that ended before the tile's date (MvtOptions::ended).
std::string const kEndedField = std::string(kEndedAttribute);
Value const kEndedValue = true;

class TagTable {
public:
    std::uint32_t key(std::size_t field, std::string const& name)
    {
        if (field >= m_key_of_field.size()) m_key_of_field.resize(field + 1, kNone);
        auto& k = m_key_of_field[field];
        if (k == kNone) {
            k = static_cast<std::uint32_t>(m_keys.size());
            m_keys.push_back(&name);
        }
        return k;
    }
    /// Index of the value, or kNone for a null (MVT has no null: left out).
    std::uint32_t value(Value const& v)
    {
        if (v.is_null()) return kNone;
        m_scratch.clear();
        if (auto const* b = v.as_bool()) {
            m_scratch = *b ? "b1" : "b0";
        } else if (auto const* n = v.as_number()) {
            m_scratch.push_back('n');
            m_scratch.append(reinterpret_cast<char const*>(n), sizeof *n);
        } else {
            m_scratch.push_back('s');
            m_scratch += v.is_string() ? *v.as_string() : v.to_string();
        }
        auto [it, inserted] = m_value_index.try_emplace(m_scratch, static_cast<std::uint32_t>(m_values.size()));
        if (inserted) m_values.push_back(&v);
        return it->second;
    }

    void write(protozero::pbf_writer& layer) const
    {
        for (auto const* k : m_keys) layer.add_string(tag::layer_keys, *k);
        for (auto const* v : m_values) {
            protozero::pbf_writer val(layer, tag::layer_values);
            if (auto const* b = v->as_bool()) {
                val.add_bool(tag::value_bool, *b);
            } else if (auto const* n = v->as_number()) {
                double const d = *n;
                if (std::trunc(d) == d && std::abs(d) < 9007199254740992.0) {
                    if (d < 0)
                        val.add_sint64(tag::value_sint, static_cast<std::int64_t>(d));
                    else
                        val.add_uint64(tag::value_uint, static_cast<std::uint64_t>(d));
                } else {
                    val.add_double(tag::value_double, d);
                }
            } else {
                val.add_string(tag::value_string, v->is_string() ? *v->as_string() : v->to_string());
            }
        }
    }

    static constexpr std::uint32_t kNone = 0xffffffffU;

private:
    std::vector<std::uint32_t> m_key_of_field;
    std::vector<std::string const*> m_keys; // point into the layer's schema
    std::vector<Value const*> m_values;     // point into the attributes, alive while encoding
    std::unordered_map<std::string, std::uint32_t> m_value_index;
    std::string m_scratch;
};

std::vector<std::string> layer_names(render::MapData const& data)
{
    std::vector<std::string> names;
    for (auto const& l : data.store().layers) names.push_back(l.name);
    // Computed layers are not in the store; influence is the one there is.
    for (char const* dynamic : {"influence"})
        if (data.layer(dynamic) && !data.store().find(dynamic)) names.emplace_back(dynamic);
    return names;
}

/// The influence fields as square cells (MvtOptions::fields): the field
/// sampled at each cell's centre, what the raster heatmap interpolates.
void write_field_cells(protozero::pbf_writer& tile_writer, render::MapData const& data, TileId const& tile, Date time,
                       MvtOptions const& options)
{
    constexpr int kCells = 32; // 8 px of a 256 px tile
    BBox const b = geo::tile_bounds(tile);
    std::vector<LonLat> centres;
    centres.reserve(kCells * kCells);
    for (int j = 0; j < kCells; ++j)
        for (int i = 0; i < kCells; ++i)
            centres.push_back(
                geo::to_lonlat({b.minx + (i + 0.5) * b.width() / kCells, b.maxy - (j + 0.5) * b.height() / kCells}));
    std::vector<std::vector<float>> values(options.fields.size(), std::vector<float>(centres.size(), 0.0f));
    for (std::size_t f = 0; f < options.fields.size(); ++f) data.fields()(options.fields[f], time, centres, values[f]);

    protozero::pbf_writer layer_writer(tile_writer, tag::tile_layers);
    layer_writer.add_uint32(tag::layer_version, 2);
    layer_writer.add_string(tag::layer_name, kFieldLayer);
    TagTable table;
    // The table keeps pointers to the values it writes: they live here until then.
    std::vector<Value> kept;
    kept.reserve(centres.size() * options.fields.size());
    std::vector<std::uint32_t> tags, geometry;
    std::size_t written = 0;
    auto const step = static_cast<std::int32_t>(options.extent / kCells);
    for (int j = 0; j < kCells; ++j)
        for (int i = 0; i < kCells; ++i) {
            auto const k = static_cast<std::size_t>(j * kCells + i);
            tags.clear();
            for (std::size_t f = 0; f < options.fields.size(); ++f) {
                float const v = values[f][k];
                if (!std::isfinite(v) || v < 0.005f) continue;
                kept.emplace_back(std::round(static_cast<double>(v) * 100) / 100);
                tags.push_back(table.key(f, options.fields[f]));
                tags.push_back(table.value(kept.back()));
            }
            if (tags.empty()) continue;
            std::int32_t const x = i * step, y = j * step;
            // One clockwise square (y down): move to its corner, three sides, close.
            geometry = {
                command(kMoveTo, 1), zigzag(x),    zigzag(y),     command(kLineTo, 3), zigzag(step),          zigzag(0),
                zigzag(0),           zigzag(step), zigzag(-step), zigzag(0),           command(kClosePath, 1)};
            protozero::pbf_writer fw(layer_writer, tag::layer_features);
            fw.add_packed_uint32(tag::feature_tags, tags.begin(), tags.end());
            fw.add_enum(tag::feature_type, kPolygon);
            fw.add_packed_uint32(tag::feature_geometry, geometry.begin(), geometry.end());
            ++written;
        }
    if (written == 0) {
        layer_writer.rollback();
        return;
    }
    table.write(layer_writer);
    layer_writer.add_uint32(tag::layer_extent, options.extent);
}

} // namespace

std::string encode_tile(render::MapData const& data, TileId const& tile, Date time, MvtOptions const& options)
{
    if (data.crs() != "EPSG:3857") throw RenderError("vector tiles need the data in EPSG:3857, not " + data.crs());
    BBox const bounds = geo::tile_bounds(tile);
    double const extent = options.extent;
    TileFrame const frame{bounds.minx, bounds.maxy, extent / bounds.width()};
    double const buffer = options.buffer;
    BBox const clip_box{-buffer, -buffer, extent + buffer, extent + buffer};
    BBox const query = bounds.buffered(buffer / frame.scale);

    std::string out;
    protozero::pbf_writer tile_writer(out);
    std::vector<std::uint32_t> hits, geometry, tags;
    // What each written feature is, for the label points that follow its layer.
    struct Written {
        std::uint32_t index;
        bool ended;
    };
    std::vector<Written> written;
    for (auto const& name : layer_names(data)) {
        auto const* layer = data.layer(name);
        if (!layer) continue;
        hits.clear();
        layer->query(query, hits);
        if (hits.empty()) continue;
        auto const attrs = layer->attributes(time);
        auto const& levels = layer->at_level(tile.z());

        // One table per layer: the same tags for a polygon and its label point.
        auto const feature_tags = [&](TagTable& table, std::uint32_t i, bool ended) {
            auto const& feature = attrs->features[i];
            tags.clear();
            for (std::size_t f = 0; f < feature.values.size() && f < attrs->schema.fields.size(); ++f) {
                auto const v = table.value(feature.values[f]);
                if (v == TagTable::kNone) continue;
                tags.push_back(table.key(f, attrs->schema.fields[f]));
                tags.push_back(v);
            }
            if (ended) {
                tags.push_back(table.key(attrs->schema.fields.size(), kEndedField));
                tags.push_back(table.value(kEndedValue));
            }
        };
        auto const write_feature = [&](protozero::pbf_writer& layer_writer, std::uint32_t i, GeomType type) {
            auto const& feature = attrs->features[i];
            protozero::pbf_writer fw(layer_writer, tag::layer_features);
            if (feature.fid >= 0) fw.add_uint64(tag::feature_id, static_cast<std::uint64_t>(feature.fid));
            if (!tags.empty()) fw.add_packed_uint32(tag::feature_tags, tags.begin(), tags.end());
            fw.add_enum(tag::feature_type, type);
            fw.add_packed_uint32(tag::feature_geometry, geometry.begin(), geometry.end());
        };

        written.clear();
        {
            protozero::pbf_writer layer_writer(tile_writer, tag::tile_layers);
            layer_writer.add_uint32(tag::layer_version, 2);
            layer_writer.add_string(tag::layer_name, name);
            TagTable table;
            for (auto const i : hits) {
                auto const& feature = attrs->features[i];
                bool ended = false;
                if (attrs->has_validity && !feature.validity.contains(time)) {
                    // With `ended`, what left before the date stays, marked, for the style's ghosts.
                    ended = options.ended && feature.validity.to && *feature.validity.to <= time;
                    if (!ended) continue;
                }
                BBox const& b = layer->bbox(i);
                bool const inside = query.contains(b.minx, b.miny) && query.contains(b.maxx, b.maxy);
                auto const type = encode_geometry(levels[i], frame, clip_box, inside, geometry);
                if (type == 0) continue;
                feature_tags(table, i, ended);
                write_feature(layer_writer, i, static_cast<GeomType>(type));
                written.push_back({i, ended});
            }
            if (written.empty()) {
                layer_writer.rollback();
                continue;
            }
            table.write(layer_writer);
            layer_writer.add_uint32(tag::layer_extent, options.extent);
        }
        if (!options.label_points || attrs->kind != GeometryKind::polygon) continue;

        // Label points: the anchor our renderer labels the polygon at, in the
        // one tile that holds it, so a client names each area once.
        protozero::pbf_writer label_writer(tile_writer, tag::tile_layers);
        label_writer.add_uint32(tag::layer_version, 2);
        label_writer.add_string(tag::layer_name, name + kLabelLayerSuffix);
        TagTable table;
        std::size_t points = 0;
        for (auto const& w : written) {
            auto const at = frame.to_tile(layer->anchor(w.index));
            auto const x = static_cast<std::int32_t>(std::floor(at.x)), y = static_cast<std::int32_t>(std::floor(at.y));
            if (x < 0 || y < 0 || x >= static_cast<std::int32_t>(extent) || y >= static_cast<std::int32_t>(extent))
                continue;
            geometry = {command(kMoveTo, 1), zigzag(x), zigzag(y)};
            feature_tags(table, w.index, w.ended);
            write_feature(label_writer, w.index, kPoint);
            ++points;
        }
        if (points == 0) {
            label_writer.rollback();
            continue;
        }
        table.write(label_writer);
        label_writer.add_uint32(tag::layer_extent, options.extent);
    }
    if (!options.fields.empty() && data.fields()) write_field_cells(tile_writer, data, tile, time, options);
    return out;
}

std::vector<std::string> polygon_layers(render::MapData const& data)
{
    std::vector<std::string> out;
    Date const today = Date::today();
    for (auto const& name : layer_names(data))
        if (auto const* layer = data.layer(name); layer && layer->attributes(today)->kind == GeometryKind::polygon)
            out.push_back(name);
    return out;
}

std::vector<LayerInfo> describe_layers(render::MapData const& data)
{
    std::vector<LayerInfo> out;
    Date const today = Date::today();
    for (auto const& name : layer_names(data)) {
        auto const* layer = data.layer(name);
        if (!layer) continue;
        auto const attrs = layer->attributes(today);
        if (attrs->kind == GeometryKind::none) continue; // events: no geometry, never in a tile
        LayerInfo info;
        info.id = name;
        switch (attrs->kind) {
        case GeometryKind::point:
            info.geometry = "point";
            break;
        case GeometryKind::line:
            info.geometry = "line";
            break;
        default:
            info.geometry = "polygon";
            break;
        }
        for (std::size_t f = 0; f < attrs->schema.fields.size(); ++f) {
            std::string type = "String";
            for (auto const& feature : attrs->features) {
                if (f >= feature.values.size() || feature.values[f].is_null()) continue;
                if (feature.values[f].is_number())
                    type = "Number";
                else if (feature.values[f].is_bool())
                    type = "Boolean";
                break;
            }
            info.fields.emplace_back(attrs->schema.fields[f], type);
        }
        out.push_back(std::move(info));
    }
    return out;
}

} // namespace sahelmap::vector
