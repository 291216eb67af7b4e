#include "sahelmap/influence/params.hpp"

#include "embedded_params.hpp"
#include "sahelmap/core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace sahelmap::influence {

namespace {

// Ordered: blocs, kinds and modes keep the order of the file (the order of output columns).
using json = nlohmann::ordered_json;

/// Validates one params document, naming the file and the JSON path of the
/// first problem. Keys starting with '$' are comments (as "$comment" in JSON
/// Schema), so the file can say why a value is what it is.
class Reader {
public:
    explicit Reader(std::string name) : m_name(std::move(name)) {}

    [[noreturn]] void fail(std::string const& key, std::string const& what) const
    {
        throw DataError("influence params " + m_name + ": key " + key + " " + what);
    }

    static bool is_comment(std::string const& key) { return !key.empty() && key[0] == '$'; }

    json const& member(json const& obj, std::string const& path, char const* key) const
    {
        auto it = obj.find(key);
        if (it == obj.end()) fail(join(path, key), "is missing");
        return *it;
    }

    json const& object(json const& obj, std::string const& path, char const* key) const
    {
        json const& v = member(obj, path, key);
        if (!v.is_object()) fail(join(path, key), "must be an object");
        return v;
    }

    void only(json const& obj, std::string const& path, std::initializer_list<char const*> allowed) const
    {
        for (auto const& item : obj.items()) {
            std::string const& key = item.key();
            if (is_comment(key)) continue;
            if (std::none_of(allowed.begin(), allowed.end(), [&](char const* a) { return key == a; })) {
                std::string list;
                for (auto const* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(join(path, key), "is unknown (expected " + list + ")");
            }
        }
    }

    /// A finite number in [lo, hi]; `open_lo` excludes lo.
    double number(json const& obj, std::string const& path, char const* key, double lo, double hi,
                  bool open_lo = false) const
    {
        json const& v = member(obj, path, key);
        return number_value(v, join(path, key), lo, hi, open_lo);
    }

    double number_value(json const& v, std::string const& where, double lo, double hi, bool open_lo) const
    {
        if (!v.is_number()) fail(where, "must be a number");
        double const d = v.get<double>();
        bool const ok = std::isfinite(d) && (open_lo ? d > lo : d >= lo) && d <= hi;
        if (!ok) {
            std::ostringstream range;
            range << (open_lo ? "in (" : "in [") << lo << ", " << hi << "]";
            fail(where, "must be a number " + range.str());
        }
        return d;
    }

    std::string string(json const& obj, std::string const& path, char const* key) const
    {
        json const& v = member(obj, path, key);
        if (!v.is_string() || v.get<std::string>().empty()) fail(join(path, key), "must be a non-empty string");
        return v.get<std::string>();
    }

    /// { "name": weight, ... }
    std::vector<Weighted> weights(json const& obj, std::string const& path, char const* key) const
    {
        json const& o = object(obj, path, key);
        std::vector<Weighted> out;
        for (auto const& [name, v] : o.items()) {
            if (is_comment(name)) continue;
            out.push_back({name, number_value(v, join(join(path, key), name), 0, kMaxWeight, false)});
        }
        if (out.empty()) fail(join(path, key), "must name at least one value");
        return out;
    }

    /// { "name": { "weight": w, "radius_km": λ }, ... }
    std::vector<Reach> reaches(json const& obj, std::string const& path, char const* key) const
    {
        json const& o = object(obj, path, key);
        std::string const here = join(path, key);
        std::vector<Reach> out;
        for (auto const& [name, v] : o.items()) {
            if (is_comment(name)) continue;
            std::string const where = join(here, name);
            if (!v.is_object()) fail(where, "must be an object with weight and radius_km");
            only(v, where, {"weight", "radius_km"});
            out.push_back({name, number(v, where, "weight", 0, kMaxWeight),
                           number(v, where, "radius_km", 0, kMaxRadiusKm, true)});
        }
        if (out.empty()) fail(here, "must name at least one value");
        return out;
    }

    static std::string join(std::string const& path, std::string const& key)
    {
        return path.empty() ? key : path + "." + key;
    }

    // Bounds that catch typos (a radius in metres, a weight of 100) without
    // constraining any sensible model; sensitivity runs double each value.
    static constexpr double kMaxWeight = 100;
    static constexpr double kMaxRadiusKm = 5000;

private:
    std::string m_name;
};

bool valid_bloc_name(std::string const& n)
{
    return !n.empty() && n.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos &&
           n != "none" && n != "contested";
}

void read_blocs(Reader const& r, json const& doc, Params& p)
{
    json const& blocs = r.object(doc, "", "blocs");
    for (auto const& [name, actors] : blocs.items()) {
        if (Reader::is_comment(name)) continue;
        std::string const where = "blocs." + name;
        if (!valid_bloc_name(name))
            r.fail(where, "is not a valid bloc name (lower-case letters, digits and '_'; not none or contested)");
        if (!actors.is_array() || actors.empty()) r.fail(where, "must be a non-empty array of actor names");
        Bloc b{name, {}};
        for (auto const& a : actors) {
            if (!a.is_string() || a.get<std::string>().empty()) r.fail(where, "must hold only actor names");
            std::string const actor = a.get<std::string>();
            if (p.bloc_of(actor) >= 0 || std::find(b.actors.begin(), b.actors.end(), actor) != b.actors.end())
                r.fail(where, "lists actor '" + actor + "' that already belongs to a bloc");
            b.actors.push_back(actor);
        }
        p.blocs.push_back(std::move(b));
    }
    if (p.blocs.empty()) r.fail("blocs", "must define at least one bloc");
}

void read_sites(Reader const& r, json const& doc, Params& p)
{
    json const& sites = r.object(doc, "", "sites");
    r.only(sites, "sites", {"strength", "kind"});
    json const& strength = r.member(sites, "sites", "strength");
    if (!strength.is_array() || strength.size() != 5)
        r.fail("sites.strength", "must be an array of 5 weights, for strength 1 to 5");
    for (std::size_t i = 0; i < 5; ++i)
        p.strength[i] =
            r.number_value(strength[i], "sites.strength[" + std::to_string(i) + "]", 0, Reader::kMaxWeight, false);
    p.site_kinds = r.reaches(sites, "sites", "kind");
}

/// { "name": probability in [0, 1], ... }
std::vector<Weighted> probabilities(Reader const& r, json const& obj, std::string const& path, char const* key)
{
    auto out = r.weights(obj, path, key);
    for (auto const& w : out)
        if (w.weight > 1) r.fail(Reader::join(Reader::join(path, key), w.name), "must be a probability in [0, 1]");
    return out;
}

void read_presence(Reader const& r, json const& doc, Params& p)
{
    json const& presence = r.object(doc, "", "presence");
    r.only(presence, "presence", {"confidence", "status", "continuity_km"});
    p.confidence = probabilities(r, presence, "presence", "confidence");
    p.site_status = probabilities(r, presence, "presence", "status");
    p.continuity_m = r.number(presence, "presence", "continuity_km", 0, 100) * 1000;
}

std::uint64_t whole(Reader const& r, json const& obj, std::string const& path, char const* key, double lo, double hi)
{
    double const v = r.number(obj, path, key, lo, hi);
    if (v != std::floor(v)) r.fail(Reader::join(path, key), "must be a whole number");
    return static_cast<std::uint64_t>(v);
}

void read_uncertainty(Reader const& r, json const& doc, Params& p)
{
    json const& u = r.object(doc, "", "uncertainty");
    r.only(u, "uncertainty",
           {"interval", "max_exact_features", "samples", "seed", "min_contribution", "max_rows_per_region"});
    p.uncertainty.interval = r.number(u, "uncertainty", "interval", 0, 1, true);
    // 2^20 combinations of one bloc's features in one region is the most worth enumerating.
    p.uncertainty.max_exact_features = static_cast<int>(whole(r, u, "uncertainty", "max_exact_features", 0, 20));
    p.uncertainty.samples = static_cast<int>(whole(r, u, "uncertainty", "samples", 1, 1'000'000));
    p.uncertainty.seed = whole(r, u, "uncertainty", "seed", 0, 9e15);
    p.uncertainty.min_contribution = r.number(u, "uncertainty", "min_contribution", 0, 0.1);
    p.uncertainty.max_rows_per_region = static_cast<int>(whole(r, u, "uncertainty", "max_rows_per_region", 1, 1000));
}

void read_sensitivity(Reader const& r, json const& doc, Params& p)
{
    json const& s = r.object(doc, "", "sensitivity");
    r.only(s, "sensitivity", {"runs", "seed", "scale", "probability_shift", "min_score_scale"});
    p.sensitivity.runs = static_cast<int>(whole(r, s, "sensitivity", "runs", 1, 10'000));
    p.sensitivity.seed = whole(r, s, "sensitivity", "seed", 0, 9e15);
    p.sensitivity.scale = r.number(s, "sensitivity", "scale", 1, 10);
    p.sensitivity.probability_shift = r.number(s, "sensitivity", "probability_shift", 0, 0.5);
    p.sensitivity.min_score_scale = r.number(s, "sensitivity", "min_score_scale", 1, 10);
}

void read_grid(Reader const& r, json const& doc, Params& p)
{
    json const& g = r.object(doc, "", "grid");
    r.only(g, "grid", {"crs", "cell_km", "min_cells_per_region", "cutoff_sigmas"});
    p.grid.crs = r.string(g, "grid", "crs");
    p.grid.cell_km = r.number(g, "grid", "cell_km", 0.1, 100);
    p.grid.min_cells_per_region = static_cast<int>(whole(r, g, "grid", "min_cells_per_region", 1, 100000));
    // Below 2σ the cut would visibly truncate the kernel; above 10σ it only costs time.
    p.grid.cutoff_sigmas = r.number(g, "grid", "cutoff_sigmas", 2, 10);
}

} // namespace

Params Params::parse(std::string_view text, std::string const& name)
{
    json doc;
    try {
        doc = json::parse(text);
    } catch (json::parse_error const& e) {
        throw DataError("influence params " + name + " is not valid JSON (at byte " + std::to_string(e.byte) + ")");
    } catch (json::exception const&) {
        // A number too large for a double is not a parse_error (as fuzz_config found for the config).
        throw DataError("influence params " + name + " is not valid JSON (a number is too large)");
    }
    if (!doc.is_object()) throw DataError("influence params " + name + " must be a JSON object");
    Reader const r(name);
    r.only(doc, "", {"blocs", "sites", "corridors", "presence", "dominance", "uncertainty", "sensitivity", "grid"});

    Params p;
    p.source = name;
    read_blocs(r, doc, p);
    read_sites(r, doc, p);
    json const& corridors = r.object(doc, "", "corridors");
    r.only(corridors, "corridors", {"mode"});
    p.corridor_modes = r.reaches(corridors, "corridors", "mode");
    read_presence(r, doc, p);

    json const& dom = r.object(doc, "", "dominance");
    r.only(dom, "dominance", {"min_score", "contested_margin"});
    p.min_score = r.number(dom, "dominance", "min_score", 0, 1, true);
    p.contested_margin = r.number(dom, "dominance", "contested_margin", 0, 1, true);
    read_uncertainty(r, doc, p);
    read_sensitivity(r, doc, p);
    read_grid(r, doc, p);
    return p;
}

Params Params::load(std::filesystem::path const& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DataError("influence params " + file.string() + " cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), file.string());
}

Params Params::embedded()
{
    return parse(embedded_params_json(), "(embedded config/influence.json)");
}

int Params::bloc_of(std::string_view actor) const noexcept
{
    for (std::size_t i = 0; i < blocs.size(); ++i)
        for (auto const& a : blocs[i].actors)
            if (a == actor) return static_cast<int>(i);
    return -1;
}

std::vector<Tunable> tunables(Params& p)
{
    using Kind = Tunable::Kind;
    std::vector<Tunable> out;
    for (std::size_t i = 0; i < p.strength.size(); ++i)
        out.push_back({"sites.strength[" + std::to_string(i) + "]", &p.strength[i], Kind::scale});
    for (auto& k : p.site_kinds) {
        out.push_back({"sites.kind." + k.name + ".weight", &k.weight, Kind::scale});
        out.push_back({"sites.kind." + k.name + ".radius_km", &k.radius_km, Kind::scale});
    }
    for (auto& m : p.corridor_modes) {
        out.push_back({"corridors.mode." + m.name + ".weight", &m.weight, Kind::scale});
        out.push_back({"corridors.mode." + m.name + ".radius_km", &m.radius_km, Kind::scale});
    }
    for (auto& c : p.confidence) out.push_back({"presence.confidence." + c.name, &c.weight, Kind::probability});
    for (auto& s : p.site_status) out.push_back({"presence.status." + s.name, &s.weight, Kind::probability});
    out.push_back({"dominance.min_score", &p.min_score, Kind::threshold});
    return out;
}

} // namespace sahelmap::influence
