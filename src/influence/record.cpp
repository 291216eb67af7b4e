// The record as the model reads it: each site and corridor row of the data
// becomes a weighted source of presence for its bloc (docs/influence.md),
// and rows that continue another under a new name keep its presence.
#include "record.hpp"

#include "read.hpp"
#include "sahelmap/core/error.hpp"

#include <algorithm>
#include <cmath>

namespace sahelmap::influence {

namespace {

std::string feature_name(FeatureLayer const& layer, Feature const& f)
{
    return "feature " + std::to_string(f.fid) + " of layer " + layer.name + " (" + layer.source + ")";
}

template <class T> T const& lookup(std::vector<T> const& table, std::string const& value, FeatureLayer const& layer,
                                   Feature const& f, char const* field, Params const& p, char const* key)
{
    for (auto const& t : table)
        if (t.name == value) return t;
    throw DataError("influence: " + feature_name(layer, f) + " has " + field + " '" + value +
                    "', which influence params " + p.source + " do not weigh (key " + key + ")");
}

/// A yes/no field the record may lack (a user's own layer): absent or empty
/// gives `otherwise`.
bool flag(FeatureLayer const& layer, Feature const& f, char const* field, bool otherwise)
{
    int const i = layer.schema.index_of(field);
    if (i < 0) return otherwise;
    std::string const v = detail::text_of(f, static_cast<std::size_t>(i));
    if (v.empty()) return otherwise;
    if (v == "yes") return true;
    if (v == "no") return false;
    throw DataError("influence: " + feature_name(layer, f) + " has " + field + " '" + v + "' (expected yes or no)");
}

std::string label_of(FeatureLayer const& layer, Feature const& f)
{
    for (char const* field : {"label", "name", "id"}) {
        int const i = layer.schema.index_of(field);
        if (i < 0) continue;
        std::string text = detail::text_of(f, static_cast<std::size_t>(i));
        if (!text.empty()) return text;
    }
    return layer.name + " " + std::to_string(f.fid);
}

/// Projects lon/lat vertices to the grid CRS and appends them as segments of
/// one source; a lone point becomes a segment of length 0. Straight segments
/// in the equal-area plane stand in for geodesics (docs/influence.md, Distances).
void add_path(std::vector<LonLat> const& path, geo::Transform const& tr, detail::Source& src, bool connect)
{
    std::vector<double> xs(path.size());
    std::vector<double> ys(path.size());
    for (std::size_t i = 0; i < path.size(); ++i) {
        xs[i] = path[i].lon;
        ys[i] = path[i].lat;
    }
    tr.apply(xs.data(), ys.data(), path.size());
    auto finite = [&](std::size_t i) { return std::isfinite(xs[i]) && std::isfinite(ys[i]); };
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (!finite(i)) continue;
        bool const to_next = connect && i + 1 < path.size() && finite(i + 1);
        if (to_next)
            src.segments.push_back(detail::Segment::make(xs[i], ys[i], xs[i + 1], ys[i + 1]));
        else if (!connect || path.size() == 1)
            src.segments.push_back(detail::Segment::make(xs[i], ys[i], xs[i], ys[i]));
    }
    for (auto const& s : src.segments) src.box.expand(s.box);
}

} // namespace

namespace detail {

void read_sites(FeatureLayer const& layer, Params const& p, geo::Transform const& tr, std::vector<Source>& out)
{
    std::size_t const f_kind = require_field(layer, "kind");
    std::size_t const f_actor = require_field(layer, "actor");
    std::size_t const f_status = require_field(layer, "status");
    std::size_t const f_strength = require_field(layer, "strength");
    std::size_t const f_conf = require_field(layer, "confidence");
    int const f_country = layer.schema.index_of("country_iso3");
    for (auto const& f : layer.features) {
        int const bloc = p.bloc_of(text_of(f, f_actor));
        if (bloc < 0) continue; // actors of no bloc (local forces) do not count
        // in_model=no: the row is drawn, but another row already counts its presence.
        if (!flag(layer, f, "in_model", true)) continue;
        auto const* points = std::get_if<MultiPoint<LonLat>>(&f.geometry);
        if (!points) throw DataError("influence: " + feature_name(layer, f) + " must be a point");
        double const* strength = f.values[f_strength].as_number();
        if (!strength || *strength != std::floor(*strength) || *strength < 1 || *strength > 5)
            throw DataError("influence: " + feature_name(layer, f) + " needs a strength from 1 to 5");
        auto const& kind = lookup(p.site_kinds, text_of(f, f_kind), layer, f, "kind", p, "sites.kind");
        auto const& status = lookup(p.site_status, text_of(f, f_status), layer, f, "status", p, "presence.status");
        auto const& conf = lookup(p.confidence, text_of(f, f_conf), layer, f, "confidence", p, "presence.confidence");
        Source src;
        src.bloc = static_cast<std::uint32_t>(bloc);
        src.weight = p.strength[static_cast<std::size_t>(*strength) - 1] * kind.weight;
        src.radius_m = kind.radius_km * 1000;
        src.probability = conf.weight * status.weight;
        src.site = true;
        src.label = label_of(layer, f);
        if (f_country >= 0) src.country = text_of(f, static_cast<std::size_t>(f_country));
        src.fid = f.fid;
        src.validity = f.validity;
        add_path(points->points, tr, src, false);
        if (!src.segments.empty()) out.push_back(std::move(src));
    }
}

void read_corridors(FeatureLayer const& layer, Params const& p, geo::Transform const& tr, std::vector<Source>& out)
{
    std::size_t const f_mode = require_field(layer, "mode");
    std::size_t const f_actor = require_field(layer, "actor");
    std::size_t const f_conf = require_field(layer, "confidence");
    for (auto const& f : layer.features) {
        int const bloc = p.bloc_of(text_of(f, f_actor));
        if (bloc < 0) continue;
        if (!flag(layer, f, "in_model", true)) continue;
        // A schematic link is a connection, not a route: nothing is on the ground between its ends.
        if (flag(layer, f, "schematic", false)) continue;
        auto const* lines = std::get_if<MultiLineString<LonLat>>(&f.geometry);
        if (!lines) throw DataError("influence: " + feature_name(layer, f) + " must be a line");
        auto const& mode = lookup(p.corridor_modes, text_of(f, f_mode), layer, f, "mode", p, "corridors.mode");
        auto const& conf = lookup(p.confidence, text_of(f, f_conf), layer, f, "confidence", p, "presence.confidence");
        Source src;
        src.bloc = static_cast<std::uint32_t>(bloc);
        src.weight = mode.weight;
        src.radius_m = mode.radius_km * 1000;
        src.probability = conf.weight;
        src.label = label_of(layer, f);
        src.fid = f.fid;
        src.validity = f.validity;
        for (auto const& line : lines->lines) add_path(line, tr, src, true);
        if (!src.segments.empty()) out.push_back(std::move(src));
    }
}

/// A row that starts at the place and on the day a same-bloc row ends is the
/// same contingent under another name (the Wagner → Africa Corps rows): it
/// keeps the presence of the row it continues, whatever the new brand's own
/// confidence, which records the inferred continuity of the brand, not a
/// reported change on the ground. Returns how many rows continue another.
std::size_t apply_continuity(std::vector<Source>& sources, double within_m)
{
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < sources.size(); ++i)
        if (sources[i].site) order.push_back(i);
    // Oldest first, so a chain of relabellings carries the presence forward.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        auto const& fa = sources[a].validity.from;
        auto const& fb = sources[b].validity.from;
        return fa && fb ? *fa < *fb : (!fa && fb);
    });
    std::size_t count = 0;
    for (std::size_t succ : order) {
        auto& s = sources[succ];
        if (!s.validity.from) continue;
        auto const& at = s.segments.front();
        bool continued = false;
        for (std::size_t pred : order) {
            auto const& p = sources[pred];
            if (pred == succ || p.bloc != s.bloc || !p.validity.to || *p.validity.to != *s.validity.from) continue;
            if (p.distance2(at.ax, at.ay) > within_m * within_m) continue;
            s.probability = std::max(s.probability, p.probability);
            s.weight = std::max(s.weight, p.weight);
            s.radius_m = std::max(s.radius_m, p.radius_m);
            continued = true;
        }
        count += continued;
    }
    return count;
}

} // namespace detail

} // namespace sahelmap::influence
