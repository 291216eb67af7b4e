#include "sahelmap/influence/grid.hpp"

#include "read.hpp"
#include "sahelmap/core/error.hpp"

#include <algorithm>
#include <cmath>

namespace sahelmap::influence {

namespace {

using Ring = std::vector<Projected>;

/// Signed shoelace area; exact in an equal-area CRS up to edge curvature.
double ring_area(Ring const& r)
{
    double a = 0;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) a += (r[j].x + r[i].x) * (r[j].y - r[i].y);
    return a / 2;
}

/// The x where the edges of `rings` cross the horizontal line at y, sorted.
/// An edge counts when y lies in [min y, max y) of its ends, so a vertex on
/// the line is crossed once, never twice.
void crossings(std::vector<Ring> const& rings, double y, std::vector<double>& xs)
{
    xs.clear();
    for (auto const& r : rings)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
            Projected const& p = r[j];
            Projected const& q = r[i];
            if ((p.y > y) != (q.y > y)) xs.push_back(p.x + (y - p.y) * (q.x - p.x) / (q.y - p.y));
        }
    std::sort(xs.begin(), xs.end());
}

struct Projection {
    std::vector<Ring> rings; ///< every ring of every part; even-odd gives the inside
    double area_m2 = 0;
    BBox box;
};

Projection project(MultiPolygon<LonLat> const& mp, geo::Transform const& tr)
{
    Projection out;
    std::vector<double> xs;
    std::vector<double> ys;
    for (auto const& poly : mp.polygons) {
        double part = 0;
        for (std::size_t k = 0; k < poly.size(); ++k) {
            auto const& ring = poly[k];
            if (ring.size() < 3) continue;
            xs.resize(ring.size());
            ys.resize(ring.size());
            for (std::size_t i = 0; i < ring.size(); ++i) {
                xs[i] = ring[i].lon;
                ys[i] = ring[i].lat;
            }
            tr.apply(xs.data(), ys.data(), ring.size());
            Ring r(ring.size());
            for (std::size_t i = 0; i < ring.size(); ++i) {
                r[i] = {xs[i], ys[i]};
                if (std::isfinite(xs[i])) out.box.expand(xs[i], ys[i]);
            }
            double const a = std::abs(ring_area(r));
            part += k == 0 ? a : -a; // the first ring is the exterior, the others holes
            out.rings.push_back(std::move(r));
        }
        out.area_m2 += std::max(0.0, part);
    }
    return out;
}

} // namespace

std::shared_ptr<RegionGrid const> RegionGrid::build(FeatureLayer const& layer, Params const& params)
{
    geo::Transform tr = [&] {
        try {
            return geo::Transform("EPSG:4326", params.grid.crs);
        } catch (BadRequest const& e) {
            throw DataError("influence params " + params.source + ": key grid.crs: " + e.what());
        }
    }();
    std::shared_ptr<RegionGrid> grid(new RegionGrid(params.grid, std::move(tr)));
    grid->m_layer_source = layer.source;
    std::size_t const f_iso3 = detail::require_field(layer, "iso3");
    std::size_t const f_name = detail::require_field(layer, "name");
    std::size_t const f_code = detail::require_field(layer, "code");
    int const f_region = layer.schema.index_of("region");
    int const f_layout = layer.schema.index_of("layout");

    std::vector<double> cx;
    std::vector<double> cy;
    std::vector<std::uint32_t> region_of;
    std::vector<double> row;
    for (auto const& f : layer.features) {
        auto const* mp = std::get_if<MultiPolygon<LonLat>>(&f.geometry);
        if (!mp) throw DataError("influence: layer " + layer.name + " (" + layer.source + ") must hold polygons");
        RegionInfo info;
        info.iso3 = detail::text_of(f, f_iso3);
        info.name = detail::text_of(f, f_name);
        info.code = detail::text_of(f, f_code);
        if (f_region >= 0) info.region = detail::text_of(f, static_cast<std::size_t>(f_region));
        if (f_layout >= 0) info.layout = detail::text_of(f, static_cast<std::size_t>(f_layout));
        info.validity = f.validity;
        info.geometry = f.geometry;
        info.bbox = f.bbox;

        Projection const pr = project(*mp, grid->m_transform);
        info.area_km2 = pr.area_m2 / 1e6;
        // Small regions (capital districts) get smaller cells, so their mean
        // rests on enough samples; large ones keep the configured size.
        double const cell =
            std::min(params.grid.cell_km * 1000, std::sqrt(pr.area_m2 / params.grid.min_cells_per_region));
        info.cell_km = cell / 1000;
        auto const region = static_cast<std::uint32_t>(grid->m_regions.size());
        std::uint32_t count = 0;
        if (cell > 0 && !pr.box.empty()) {
            auto const j0 = static_cast<long>(std::floor(pr.box.miny / cell - 0.5));
            auto const j1 = static_cast<long>(std::ceil(pr.box.maxy / cell));
            for (long j = j0; j <= j1; ++j) {
                double const y = (static_cast<double>(j) + 0.5) * cell;
                crossings(pr.rings, y, row);
                for (std::size_t k = 0; k + 1 < row.size(); k += 2) {
                    // Cells whose centre (i + ½)·cell lies in [row[k], row[k+1]).
                    auto const i0 = static_cast<long>(std::ceil(row[k] / cell - 0.5));
                    auto const i1 = static_cast<long>(std::ceil(row[k + 1] / cell - 0.5));
                    for (long i = i0; i < i1; ++i) {
                        cx.push_back((static_cast<double>(i) + 0.5) * cell);
                        cy.push_back(y);
                        region_of.push_back(region);
                        ++count;
                    }
                }
            }
        }
        if (count == 0 && !pr.rings.empty() && !pr.rings.front().empty()) {
            // A sliver thinner than its cells still gets one sample, on its
            // boundary, rather than no score at all.
            cx.push_back(pr.rings.front().front().x);
            cy.push_back(pr.rings.front().front().y);
            region_of.push_back(region);
            count = 1;
        }
        info.cell_count = count;
        grid->m_regions.push_back(std::move(info));
    }

    std::vector<std::uint32_t> order;
    grid->m_cells = detail::SampleSet::make(cx, cy, detail::kBucketMetres, order);
    grid->m_cell_region.resize(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) grid->m_cell_region[i] = region_of[order[i]];
    // Cells dropped as unprojectable no longer count.
    for (auto& r : grid->m_regions) r.cell_count = 0;
    for (auto r : grid->m_cell_region) ++grid->m_regions[r].cell_count;
    return grid;
}

} // namespace sahelmap::influence
