#include "labels.hpp"

#include "draw.hpp"
#include "label_candidates.hpp"
#include "sahelmap/render/icons.hpp"

#include <glib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <tuple>
#include <unordered_map>

namespace sahelmap::render::detail {

namespace {

/// Boxes already taken, bucketed on a coarse grid. Each box has an owner so
/// a label does not collide with its own icon. Icons that are always drawn
/// are reserved up front with their symbol's rank in the placement order: they
/// keep every label off them, but an icon placed before them in that order
/// (a capital's under the sites fanned over it) is not pushed away, as an
/// icon allowed to overlap in MapLibre overlaps what was placed before it.
class CollisionGrid {
public:
    /// `icon_rank`: the rank of the symbol whose icon is tested; -1 for text.
    bool collides(BBox const& b, std::int64_t ignore = -1, std::int64_t icon_rank = -1) const
    {
        bool hit = false;
        each_cell(b, [&](std::int64_t key) {
            if (hit) return;
            auto it = m_cells.find(key);
            if (it == m_cells.end()) return;
            for (auto const& e : it->second)
                if (e.owner != ignore && !(icon_rank >= 0 && e.reserved_rank > icon_rank) && e.box.intersects(b)) {
                    hit = true;
                    return;
                }
        });
        return hit;
    }
    void insert(BBox const& b, std::int64_t owner, std::int64_t reserved_rank = -1)
    {
        each_cell(b, [&](std::int64_t key) { m_cells[key].push_back({b, owner, reserved_rank}); });
    }

private:
    struct Entry {
        BBox box;
        std::int64_t owner;
        std::int64_t reserved_rank; ///< -1: placed, blocks everything
    };
    static constexpr double kCell = 128;
    template <class F> static void each_cell(BBox const& b, F&& f)
    {
        auto const x0 = static_cast<std::int64_t>(std::floor(b.minx / kCell));
        auto const x1 = static_cast<std::int64_t>(std::floor(b.maxx / kCell));
        auto const y0 = static_cast<std::int64_t>(std::floor(b.miny / kCell));
        auto const y1 = static_cast<std::int64_t>(std::floor(b.maxy / kCell));
        for (auto x = x0; x <= x1; ++x)
            for (auto y = y0; y <= y1; ++y) f(x * 73856093 ^ y * 19349663);
    }
    std::unordered_map<std::int64_t, std::vector<Entry>> m_cells;
};

std::string apply_transform(std::string const& text, style::TextTransform t)
{
    if (t == style::TextTransform::none || text.empty()) return text;
    char* out =
        t == style::TextTransform::uppercase ? g_utf8_strup(text.c_str(), -1) : g_utf8_strdown(text.c_str(), -1);
    std::string s(out);
    g_free(out);
    return s;
}

/// Offset of the text box centre from the anchor point for a text-anchor.
Projected anchor_shift(style::TextAnchor a, double w, double h)
{
    using A = style::TextAnchor;
    double x = 0, y = 0;
    if (a == A::left || a == A::top_left || a == A::bottom_left) x = w / 2;
    if (a == A::right || a == A::top_right || a == A::bottom_right) x = -w / 2;
    if (a == A::top || a == A::top_left || a == A::top_right) y = h / 2;
    if (a == A::bottom || a == A::bottom_left || a == A::bottom_right) y = -h / 2;
    return {x, y};
}

BBox box_around(double cx, double cy, double hw, double hh)
{
    return {cx - hw, cy - hh, cx + hw, cy + hh};
}

/// Axis-aligned box of a w × h rectangle centred at (cx, cy) turned by `angle`.
BBox rotated_box(double cx, double cy, double w, double h, double angle)
{
    double const c = std::abs(std::cos(angle)), s = std::abs(std::sin(angle));
    return box_around(cx, cy, (w * c + h * s) / 2, (w * s + h * c) / 2);
}

struct Style {
    std::shared_ptr<TextShape const> text;
    std::string icon;
    double icon_radius = 0;
    double halo = 0;
    double padding = 0;
};

/// Candidate positions along a polyline (pixels): the centre and angle of a
/// label of length `len` every `spacing` px, where the line is straight enough.
struct LineSpot {
    double x, y, angle;
};
std::vector<LineSpot> line_spots(std::vector<Projected> const& pts, double len, double spacing)
{
    std::vector<double> cum(pts.size(), 0.0);
    for (std::size_t i = 1; i < pts.size(); ++i)
        cum[i] = cum[i - 1] + std::hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y);
    double const total = cum.back();
    std::vector<LineSpot> out;
    if (total < len + 4) return out;
    // Long lines at high zoom would offer thousands of spots; cap them.
    spacing = std::max({spacing, len * 1.5, total / 64});
    auto at = [&](double s) {
        auto it = std::upper_bound(cum.begin(), cum.end(), s);
        std::size_t i = std::clamp<std::size_t>(static_cast<std::size_t>(it - cum.begin()), 1, pts.size() - 1);
        double const seg = cum[i] - cum[i - 1];
        double const t = seg > 0 ? (s - cum[i - 1]) / seg : 0;
        return Projected{pts[i - 1].x + t * (pts[i].x - pts[i - 1].x), pts[i - 1].y + t * (pts[i].y - pts[i - 1].y)};
    };
    double const first = std::fmod(total, spacing) / 2 + spacing / 2;
    for (double s = std::max(first, len / 2); s + len / 2 <= total; s += spacing) {
        Projected a = at(s - len / 2), b = at(s + len / 2), m = at(s);
        double angle = std::atan2(b.y - a.y, b.x - a.x);
        if (angle > M_PI / 2) angle -= M_PI;
        if (angle < -M_PI / 2) angle += M_PI;
        // Skip bends: the path between a and b must stay close to the chord.
        double const chord = std::hypot(b.x - a.x, b.y - a.y);
        if (chord < len * 0.9) continue;
        out.push_back({m.x, m.y, angle});
    }
    return out;
}

} // namespace

std::shared_ptr<Placement const> place_symbols(MapData const& data, style::Style const& style, Frame const& frame,
                                               BBox const& area, double zoom, Date time, TextShaper& text_shaper,
                                               std::optional<BBox> const& inside,
                                               std::shared_ptr<LabelRasters> shared_rasters)
{
    auto placement = std::make_shared<Placement>();
    placement->frame = frame;
    placement->shared_rasters = std::move(shared_rasters);
    auto const& layers = style.layers();
    placement->layers.resize(layers.size());
    placement->index.resize(layers.size());
    CollisionGrid grid;
    if (inside) {
        // Walls just outside the edges: a label crossing one collides with it.
        BBox const& b = *inside;
        grid.insert({b.minx - 2, b.miny - 2, b.minx, b.maxy + 2}, -2);
        grid.insert({b.maxx, b.miny - 2, b.maxx + 2, b.maxy + 2}, -2);
        grid.insert({b.minx - 2, b.miny - 2, b.maxx + 2, b.miny}, -2);
        grid.insert({b.minx - 2, b.maxy, b.maxx + 2, b.maxy + 2}, -2);
    }
    int const level = data.level_for(frame.res);
    std::vector<std::uint32_t> candidates;

    // Every symbol layer drawn at this zoom, with its features present at
    // this date in data order: found once, used by the three passes below.
    struct SymbolPass {
        std::size_t li;
        style::SymbolLayer const* sym;
        ProjectedLayer const* layer;
        std::shared_ptr<FeatureLayer const> attrs;
        std::vector<std::uint32_t> feats;
    };
    std::vector<SymbolPass> passes;
    for (std::size_t li = 0; li < layers.size(); ++li) {
        auto const& sl = layers[li];
        auto const* sym = std::get_if<style::SymbolLayer>(&sl.props);
        if (!sym || !sl.visible_at(zoom)) continue;
        auto const* layer = data.layer(sl.source_layer);
        if (!layer || layer->source().kind == GeometryKind::none) continue;
        SymbolPass pass{li, sym, layer, layer->attributes(time), {}};
        layer->query(area, candidates);
        for (auto i : candidates)
            if (feature_passes(sl, *pass.attrs, i, zoom, time)) pass.feats.push_back(i);
        passes.push_back(std::move(pass));
    }

    // Points sharing one spot fan out around it, across every symbol layer
    // drawing that data layer (an active base and the ghost of a withdrawn
    // one at the same airport must both show).
    std::map<std::pair<ProjectedLayer const*, std::uint32_t>, std::vector<std::pair<std::size_t, std::uint32_t>>> fans;
    for (auto const& pass : passes)
        if (pass.layer->source().kind == GeometryKind::point)
            for (auto i : pass.feats)
                if (pass.layer->colocated(i).size() > 1)
                    fans[{pass.layer, pass.layer->colocated(i).front()}].emplace_back(pass.li, i);

    // Where feature i's icon goes in style layer li (fanned out when it shares its spot).
    auto icon_at = [&](std::size_t li, style::SymbolLayer const& sym, ProjectedLayer const& layer, std::uint32_t i,
                       style::EvalContext const& ctx, PlacedSymbol& s) {
        double const icon_size = sym.icon_size.evaluate(ctx);
        s.icon_radius = icon_radius(icon_size);
        Projected const a = frame.to_px(layer.anchor(i));
        Projected fan{0, 0};
        if (layer.source().kind == GeometryKind::point && layer.colocated(i).size() > 1) {
            auto const& group = fans[{&layer, layer.colocated(i).front()}];
            auto const k =
                static_cast<std::size_t>(std::find(group.begin(), group.end(), std::make_pair(li, i)) - group.begin());
            fan = fan_offset(k, group.size(), std::max(s.icon_radius * 1.15, 6.0));
        }
        auto const off = sym.icon_offset.evaluate(ctx);
        s.icon_x = a.x + fan.x + (off.size() == 2 ? off[0] * icon_size : 0);
        s.icon_y = a.y + fan.y + (off.size() == 2 ? off[1] * icon_size : 0);
        s.icon_halo_width = sym.icon_halo_width.evaluate(ctx);
        double const r = s.icon_radius * 1.1 + s.icon_halo_width;
        return std::make_pair(fan, box_around(s.icon_x, s.icon_y, r, r));
    };
    auto owner_of = [](std::size_t li, std::uint32_t i) { return static_cast<std::int64_t>(li) << 32 | i; };

    // The placement order, across layers: symbol-sort-key first (lower is
    // placed first; a layer without one counts 0), then the higher layer, then
    // data order. Within one layer this is MapLibre's order; across layers the
    // key lets a style say that country names and capitals win over sites,
    // ghosts and towns whatever the drawing order.
    struct Ranked {
        double key;
        std::size_t pass, pos;
        std::uint32_t feat;
    };
    std::vector<Ranked> order;
    for (std::size_t pi = 0; pi < passes.size(); ++pi) {
        auto const& pass = passes[pi];
        for (std::size_t pos = 0; pos < pass.feats.size(); ++pos) {
            auto const i = pass.feats[pos];
            double const key = pass.sym->has_sort_key ? pass.sym->sort_key.evaluate({zoom, pass.attrs->ref(i)}) : 0;
            order.push_back({key, pi, pos, i});
        }
    }
    std::stable_sort(order.begin(), order.end(), [](Ranked const& a, Ranked const& b) {
        return std::tie(a.key, b.pass, a.pos) < std::tie(b.key, a.pass, b.pos);
    });

    // Icons that are always drawn (icon-allow-overlap) are reserved first, so
    // no label is ever placed over a site.
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        auto const& pass = passes[order[rank].pass];
        auto const i = order[rank].feat;
        style::EvalContext const ctx{zoom, pass.attrs->ref(i)};
        if (!pass.sym->icon_allow_overlap.evaluate(ctx) || pass.sym->icon_image.evaluate(ctx).empty()) continue;
        PlacedSymbol probe;
        grid.insert(icon_at(pass.li, *pass.sym, *pass.layer, i, ctx, probe).second, owner_of(pass.li, i),
                    static_cast<std::int64_t>(rank));
    }

    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        auto const& pass = passes[order[rank].pass];
        std::size_t const li = pass.li;
        auto const* sym = pass.sym;
        auto const* layer = pass.layer;
        auto const& attrs = pass.attrs;
        auto const i = order[rank].feat;
        auto& placed = placement->layers[li];
        style::EvalContext const ctx{zoom, attrs->ref(i)};
        std::string const text = apply_transform(sym->text_field.evaluate(ctx), sym->text_transform.evaluate(ctx));
        std::string icon = sym->icon_image.evaluate(ctx);
        if (!icon.empty() && !icon_known(icon)) icon = "circle";
        if (text.empty() && icon.empty()) continue;

        PlacedSymbol s;
        s.sort_key = order[rank].key;
        double const size = sym->text_size.evaluate(ctx);
        if (!text.empty())
            s.text =
                text_shaper.shape(text, sym->text_font.evaluate(ctx), size, sym->text_max_width.evaluate(ctx) * size,
                                  sym->text_letter_spacing.evaluate(ctx) * size);
        s.text_color = sym->text_color.evaluate(ctx);
        s.halo_color = sym->text_halo_color.evaluate(ctx);
        s.halo_width = sym->text_halo_width.evaluate(ctx);
        s.text_opacity = sym->text_opacity.evaluate(ctx);
        double const padding = sym->text_padding.evaluate(ctx);
        bool const text_overlap = sym->text_allow_overlap.evaluate(ctx);

        bool const along_line =
            sym->placement.evaluate(ctx) == style::SymbolPlacement::line && layer->source().kind == GeometryKind::line;
        if (along_line) {
            if (!s.text) continue;
            auto const& g = std::get<MultiLineString<Projected>>(layer->at_level(level)[i]);
            for (auto const& line : g.lines) {
                std::vector<Projected> px;
                px.reserve(line.size());
                for (auto const& p : line) px.push_back(frame.to_px(p));
                for (auto const& spot : line_spots(px, s.text->width, sym->spacing.evaluate(ctx))) {
                    BBox box = rotated_box(spot.x, spot.y, s.text->width + 2 * s.halo_width,
                                           s.text->height + 2 * s.halo_width, spot.angle);
                    if (!text_overlap && grid.collides(box.buffered(padding))) continue;
                    PlacedSymbol copy = s;
                    copy.text_x = spot.x;
                    copy.text_y = spot.y;
                    copy.angle = spot.angle;
                    copy.box = box;
                    copy.text_box = box;
                    grid.insert(box.buffered(padding), owner_of(li, i));
                    placed.push_back(std::move(copy));
                }
            }
            continue;
        }

        Projected const a = frame.to_px(layer->anchor(i));
        BBox icon_box, text_box;
        Projected fan{0, 0};
        bool const icon_overlap = sym->icon_allow_overlap.evaluate(ctx);
        if (!icon.empty()) {
            std::tie(fan, icon_box) = icon_at(li, *sym, *layer, i, ctx, s);
            s.icon = icon;
            s.icon_color = sym->icon_color.evaluate(ctx);
            s.icon_halo_color = sym->icon_halo_color.evaluate(ctx);
            s.icon_opacity = sym->icon_opacity.evaluate(ctx);
        }
        if (s.text) {
            auto const off = sym->text_offset.evaluate(ctx);
            double const w = s.text->width, h = s.text->height;
            Projected const shift = anchor_shift(sym->text_anchor.evaluate(ctx), w, h);
            s.text_x = a.x + fan.x + shift.x + (off.size() == 2 ? off[0] * size : 0);
            s.text_y = a.y + fan.y + shift.y + (off.size() == 2 ? off[1] * size : 0);
            text_box = box_around(s.text_x, s.text_y, w / 2 + s.halo_width, h / 2 + s.halo_width);
        }

        auto const owner = owner_of(li, i);
        bool const icon_fits =
            icon.empty() || icon_overlap || !grid.collides(icon_box, -1, static_cast<std::int64_t>(rank));
        bool text_fits = !s.text || text_overlap || !grid.collides(text_box.buffered(padding), owner);
        if (!icon_fits) continue;
        bool const text_optional = sym->text_optional.evaluate(ctx);
        if (!text_fits && !text_optional) {
            // A name the style requires tries other spots before the symbol is dropped.
            double const w = s.text->width, h = s.text->height;
            std::vector<Projected> spots;
            if (layer->source().kind == GeometryKind::polygon)
                spots = area_label_spots(std::get<MultiPolygon<Projected>>(layer->at_level(level)[i]),
                                         {s.text_x, s.text_y}, w, h, [&](Projected p) { return frame.to_px(p); });
            else if (layer->source().kind == GeometryKind::point) {
                double const cx = icon.empty() ? a.x + fan.x : s.icon_x, cy = icon.empty() ? a.y + fan.y : s.icon_y;
                double const clear = icon.empty() ? 2 : s.icon_radius * 1.1 + s.icon_halo_width + 2;
                spots = point_label_spots(cx, cy, s.text_x, s.text_y, w + 2 * s.halo_width, h + 2 * s.halo_width, clear,
                                          0.6 * size);
            }
            for (auto const& spot : spots) {
                BBox const box = box_around(spot.x, spot.y, w / 2 + s.halo_width, h / 2 + s.halo_width);
                if (grid.collides(box.buffered(padding), owner)) continue;
                s.text_x = spot.x;
                s.text_y = spot.y;
                text_box = box;
                text_fits = true;
                break;
            }
        }
        if (!text_fits) {
            if (!text_optional || icon.empty()) continue;
            s.text.reset(); // keep the icon, drop its label
        }
        s.box = BBox{};
        if (!icon.empty()) {
            s.box.expand(icon_box);
            if (!icon_overlap) grid.insert(icon_box, owner); // reserved already otherwise
        }
        if (s.text) {
            s.box.expand(text_box);
            s.text_box = text_box;
            grid.insert(text_box.buffered(padding), owner);
        }
        placed.push_back(std::move(s));
    }
    for (std::size_t li = 0; li < placement->layers.size(); ++li) {
        auto const& placed = placement->layers[li];
        if (placed.empty()) continue;
        std::vector<BBox> boxes;
        boxes.reserve(placed.size());
        for (auto const& p : placed) boxes.push_back(p.box.buffered(1));
        placement->index[li] = SpatialIndex(boxes);
    }
    return placement;
}

} // namespace sahelmap::render::detail
