#include "sahelmap/render/map_data.hpp"

#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/simplify.hpp"
#include "sahelmap/geo/tile_math.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <queue>

namespace sahelmap::render {

namespace {

/// Projects all coordinates of a geometry in one PROJ call.
Geometry<Projected> project(Geometry<LonLat> const& g, geo::Transform const& t)
{
    std::vector<double> xs, ys;
    auto gather = [&](std::vector<LonLat> const& pts) {
        for (auto const& p : pts) {
            xs.push_back(p.lon);
            ys.push_back(p.lat);
        }
    };
    std::visit(
        [&](auto const& geom) {
            using T = std::decay_t<decltype(geom)>;
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>)
                gather(geom.points);
            else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>)
                for (auto const& l : geom.lines) gather(l);
            else
                for (auto const& poly : geom.polygons)
                    for (auto const& r : poly) gather(r);
        },
        g);
    t.apply(xs.data(), ys.data(), xs.size());
    std::size_t k = 0;
    auto take = [&](std::vector<LonLat> const& pts) {
        std::vector<Projected> out;
        out.reserve(pts.size());
        for (std::size_t i = 0; i < pts.size(); ++i, ++k)
            if (std::isfinite(xs[k]) && std::isfinite(ys[k])) out.push_back({xs[k], ys[k]});
        return out;
    };
    return std::visit(
        [&](auto const& geom) -> Geometry<Projected> {
            using T = std::decay_t<decltype(geom)>;
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>) {
                return MultiPoint<Projected>{take(geom.points)};
            } else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>) {
                MultiLineString<Projected> out;
                for (auto const& l : geom.lines) out.lines.push_back(take(l));
                return out;
            } else {
                MultiPolygon<Projected> out;
                for (auto const& poly : geom.polygons) {
                    Polygon<Projected> p;
                    for (auto const& r : poly) p.push_back(take(r));
                    out.polygons.push_back(std::move(p));
                }
                return out;
            }
        },
        g);
}

double ring_area(std::vector<Projected> const& ring)
{
    double a = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        a += (ring[j].x - ring[i].x) * (ring[j].y + ring[i].y);
    return a / 2;
}

/// Signed distance from p to the polygon outline: positive inside.
double signed_distance(Projected p, Polygon<Projected> const& poly)
{
    bool inside = false;
    double best = std::numeric_limits<double>::infinity();
    for (auto const& ring : poly) {
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            auto a = ring[i], b = ring[j];
            if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
            double dx = b.x - a.x, dy = b.y - a.y;
            double len2 = dx * dx + dy * dy;
            double t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0;
            double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
            best = std::min(best, ex * ex + ey * ey);
        }
    }
    return (inside ? 1 : -1) * std::sqrt(best);
}

/// The interior point farthest from the outline, found by refining square
/// cells best-first until no cell can beat the best point by `precision`.
Projected interior_point(Polygon<Projected> const& poly)
{
    BBox box;
    for (auto const& p : poly.front()) box.expand(p.x, p.y);
    double const size = std::min(box.width(), box.height());
    Projected centre{(box.minx + box.maxx) / 2, (box.miny + box.maxy) / 2};
    if (size <= 0) return centre;
    double const precision = std::max(box.width(), box.height()) / 200;

    struct Cell {
        Projected c;
        double half, d, potential;
    };
    auto make = [&](Projected c, double half) {
        double d = signed_distance(c, poly);
        return Cell{c, half, d, d + half * std::sqrt(2.0)};
    };
    auto cmp = [](Cell const& a, Cell const& b) { return a.potential < b.potential; };
    std::priority_queue<Cell, std::vector<Cell>, decltype(cmp)> queue(cmp);
    double const half = size / 2;
    for (double x = box.minx; x < box.maxx; x += size)
        for (double y = box.miny; y < box.maxy; y += size) queue.push(make({x + half, y + half}, half));

    Cell best = make(centre, 0);
    int guard = 0;
    while (!queue.empty() && ++guard < 20000) {
        Cell cell = queue.top();
        queue.pop();
        if (cell.d > best.d) best = cell;
        if (cell.potential - best.d <= precision) continue;
        double h = cell.half / 2;
        for (int dx : {-1, 1})
            for (int dy : {-1, 1}) queue.push(make({cell.c.x + dx * h, cell.c.y + dy * h}, h));
    }
    return best.c;
}

Projected anchor_of(Geometry<Projected> const& g, BBox const& box)
{
    if (auto const* mp = std::get_if<MultiPoint<Projected>>(&g))
        return mp->points.empty() ? Projected{} : mp->points.front();
    if (auto const* ml = std::get_if<MultiLineString<Projected>>(&g)) {
        if (ml->lines.empty()) return {};
        auto const& longest = *std::max_element(ml->lines.begin(), ml->lines.end(),
                                                [](auto const& a, auto const& b) { return a.size() < b.size(); });
        return longest[longest.size() / 2];
    }
    auto const& mpoly = std::get<MultiPolygon<Projected>>(g);
    if (mpoly.polygons.empty()) return {(box.minx + box.maxx) / 2, (box.miny + box.maxy) / 2};
    auto const& largest =
        *std::max_element(mpoly.polygons.begin(), mpoly.polygons.end(), [](auto const& a, auto const& b) {
            return std::abs(ring_area(a.front())) < std::abs(ring_area(b.front()));
        });
    return interior_point(largest);
}

} // namespace

std::vector<Geometry<Projected>> const& ProjectedLayer::at_level(int level) const
{
    level = std::clamp(level, 0, kLevels - 1);
    std::call_once(m_level_once[static_cast<std::size_t>(level)], [&] {
        double const cell = m_level0_cell / std::exp2(level);
        auto& out = m_levels[static_cast<std::size_t>(level)];
        out.reserve(m_geometry.size());
        for (auto const& g : m_geometry) out.push_back(geo::snap_to_grid(g, cell));
    });
    return m_levels[static_cast<std::size_t>(level)];
}

std::shared_ptr<MapData const> MapData::build(std::shared_ptr<FeatureStore const> store, std::string crs,
                                              std::vector<DynamicLayer> dynamic, FieldSampler fields)
{
    auto data = std::make_shared<MapData>();
    data->m_fields = std::move(fields);
    data->m_store = std::move(store);
    data->m_crs = std::move(crs);
    geo::Transform const to_crs("EPSG:4326", data->m_crs);

    std::vector<std::pair<FeatureLayer const*, AttributeProvider>> sources;
    for (auto const& src : data->m_store->layers) sources.emplace_back(&src, nullptr);
    for (auto& d : dynamic) {
        data->m_dynamic_layers.push_back(std::make_unique<FeatureLayer const>(std::move(d.layer)));
        sources.emplace_back(data->m_dynamic_layers.back().get(), std::move(d.attributes));
    }

    for (auto& [src_ptr, provider] : sources) {
        auto const& src = *src_ptr;
        auto layer = std::make_unique<ProjectedLayer>();
        layer->m_source = &src;
        layer->m_provider = std::move(provider);
        layer->m_geometry.reserve(src.features.size());
        std::map<std::pair<double, double>, std::uint32_t> groups;
        for (std::size_t i = 0; i < src.features.size(); ++i) {
            layer->m_geometry.push_back(project(src.features[i].geometry, to_crs));
            BBox box = bbox_of(layer->m_geometry.back());
            layer->m_bboxes.push_back(box);
            if (!box.empty()) data->m_extent.expand(box);
            layer->m_anchors.push_back(box.empty() ? Projected{} : anchor_of(layer->m_geometry.back(), box));
            // Points at one spot (Niamey hosts three actors' rows) are drawn fanned out.
            auto key = std::make_pair(layer->m_anchors.back().x, layer->m_anchors.back().y);
            auto [it, inserted] = groups.emplace(key, static_cast<std::uint32_t>(layer->m_colocated.size()));
            if (inserted || src.kind != GeometryKind::point) {
                it->second = static_cast<std::uint32_t>(layer->m_colocated.size());
                layer->m_colocated.emplace_back();
            }
            layer->m_colocation_group.push_back(it->second);
            layer->m_colocated[it->second].push_back(static_cast<std::uint32_t>(i));
        }
        layer->m_index = SpatialIndex(layer->m_bboxes);
        data->m_layers.push_back(std::move(layer));
    }

    if (data->m_crs == "EPSG:3857") {
        data->m_level0_resolution = geo::meters_per_pixel(0);
    } else {
        BBox const e = data->m_extent.empty() ? BBox{0, 0, 1, 1} : data->m_extent;
        data->m_level0_resolution = std::max(e.width(), e.height()) / geo::kTileSize;
    }
    for (auto& l : data->m_layers) l->m_level0_cell = data->m_level0_resolution / 4;
    data->m_change_dates = data->m_store->change_dates();
    return data;
}

ProjectedLayer const* MapData::layer(std::string_view name) const noexcept
{
    for (auto const& l : m_layers)
        if (l->source().name == name) return l.get();
    return nullptr;
}

int MapData::level_for(double units_per_pixel) const noexcept
{
    double const level = std::log2(m_level0_resolution / units_per_pixel);
    return std::clamp(static_cast<int>(std::ceil(level - 1e-9)), 0, kLevels - 1);
}

int MapData::epoch_of(Date t) const noexcept
{
    return static_cast<int>(std::upper_bound(m_change_dates.begin(), m_change_dates.end(), t) - m_change_dates.begin());
}

} // namespace sahelmap::render
