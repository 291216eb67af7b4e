#include "sahelmap/source/config.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/source/embedded.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace sahelmap::source {

namespace {

LayerSource embedded_layer(std::string_view name)
{
    return {std::string(name), embedded_geodata_path(), std::string(name), "", true};
}

std::string read_text(std::filesystem::path const& file, std::string const& what)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DataError(what + " " + file.string() + " cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A path in the config: relative to the config file; connection strings
/// (PG:, /vsi..., URLs) are left alone.
std::string resolve_connection(std::string const& text, std::filesystem::path const& base)
{
    bool const special = text.find(':') != std::string::npos || text.rfind("/vsi", 0) == 0;
    std::filesystem::path p(text);
    if (special || p.is_absolute()) return text;
    return (base / p).lexically_normal().string();
}

void check_keys(nlohmann::json const& obj, std::string const& where, std::initializer_list<char const*> allowed,
                std::string const& file)
{
    for (auto const& [key, value] : obj.items()) {
        std::string const name = key; // structured bindings cannot be captured before clang 16
        if (std::find_if(allowed.begin(), allowed.end(), [&](char const* a) { return name == a; }) == allowed.end()) {
            std::string list;
            for (auto const* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            throw DataError("config " + file + ": unknown key '" + key + "' in " + where + " (expected " + list + ")");
        }
    }
}

std::string string_member(nlohmann::json const& obj, char const* key, std::string const& where, std::string const& file,
                          bool required)
{
    auto it = obj.find(key);
    if (it == obj.end()) {
        if (required) throw DataError("config " + file + ": " + where + " needs \"" + key + "\"");
        return {};
    }
    if (!it->is_string() || it->get<std::string>().empty())
        throw DataError("config " + file + ": " + where + "." + key + " must be a non-empty string");
    return it->get<std::string>();
}

bool is_layer(std::string const& name)
{
    return std::find(std::begin(kDefaultLayers), std::end(kDefaultLayers), name) != std::end(kDefaultLayers);
}

std::string known_layers()
{
    std::string known;
    for (auto k : kDefaultLayers) known += (known.empty() ? "" : ", ") + std::string(k);
    return known;
}

/// A list of key names ("layers.<layer>", "metrics"), each one of `keys`.
std::vector<std::string> key_names(nlohmann::json const& list, std::string const& where, AccessPolicy const& policy,
                                   std::string const& file)
{
    if (!list.is_array() || list.empty())
        throw DataError("config " + file + ": access." + where + " must be a non-empty list of key names");
    std::vector<std::string> names;
    for (auto const& item : list) {
        if (!item.is_string())
            throw DataError("config " + file + ": access." + where + " must list key names as strings");
        auto const name = item.get<std::string>();
        if (!policy.keys.count(name)) {
            std::string known;
            for (auto const& [k, digest] : policy.keys) known += (known.empty() ? "" : ", ") + k;
            throw DataError("config " + file + ": access." + where + " names the unknown key '" + name +
                            "' (keys: " + (known.empty() ? "none" : known) + ")");
        }
        names.push_back(name);
    }
    return names;
}

AccessPolicy parse_access(nlohmann::json const& doc, std::string const& file)
{
    if (!doc.is_object()) throw DataError("config " + file + ": \"access\" must be an object");
    check_keys(doc, "access", {"keys", "layers", "metrics"}, file);
    AccessPolicy policy;
    if (auto it = doc.find("keys"); it != doc.end()) {
        if (!it->is_object()) throw DataError("config " + file + ": access.keys must be an object of name → digest");
        for (auto const& [name, value] : it->items()) {
            std::string const text = value.is_string() ? value.get<std::string>() : std::string();
            std::optional<Sha256Digest> digest;
            if (text.rfind("sha256:", 0) == 0) digest = digest_from_hex(std::string_view(text).substr(7));
            if (name.empty() || !digest)
                throw DataError("config " + file + ": access.keys." + name +
                                " must be \"sha256:\" and the 64 hex digits of the key's SHA-256");
            policy.keys[name] = *digest;
        }
    }
    if (auto it = doc.find("layers"); it != doc.end()) {
        if (!it->is_object()) throw DataError("config " + file + ": access.layers must be an object of layer → keys");
        for (auto const& [layer, list] : it->items()) {
            if (!is_layer(layer))
                throw DataError("config " + file + ": access.layers names the unknown layer '" + layer +
                                "' (known: " + known_layers() + ")");
            policy.layers[layer] = key_names(list, "layers." + layer, policy, file);
        }
    }
    if (auto it = doc.find("metrics"); it != doc.end()) policy.metrics = key_names(*it, "metrics", policy, file);
    return policy;
}

ReloadWatch parse_reload(nlohmann::json const& doc, std::string const& file)
{
    if (!doc.is_object()) throw DataError("config " + file + ": \"reload\" must be an object");
    check_keys(doc, "reload", {"watch", "query", "interval_ms"}, file);
    ReloadWatch watch;
    watch.connection = string_member(doc, "watch", "reload", file, true);
    if (auto query = string_member(doc, "query", "reload", file, false); !query.empty()) watch.query = query;
    if (auto it = doc.find("interval_ms"); it != doc.end()) {
        // Below 50 ms the poll would load the database more than it helps.
        if (!it->is_number_integer() || it->get<long long>() < 50 || it->get<long long>() > 3'600'000)
            throw DataError("config " + file +
                            ": reload.interval_ms must be a whole number of milliseconds from 50 "
                            "to 3600000");
        watch.interval = std::chrono::milliseconds(it->get<long long>());
    }
    return watch;
}

} // namespace

std::optional<std::string> AccessPolicy::key_name(std::string_view key) const
{
    auto const digest = sha256(key);
    std::optional<std::string> found;
    // Every digest is compared, so the time says nothing about which key matched.
    for (auto const& [name, expected] : keys)
        if (equal_in_constant_time(digest, expected) && !found) found = name;
    return found;
}

std::vector<std::string> AccessPolicy::hidden_from(std::string const& name) const
{
    std::vector<std::string> hidden;
    for (auto const& [layer, names] : layers)
        if (name.empty() || std::find(names.begin(), names.end(), name) == names.end()) hidden.push_back(layer);
    return hidden;
}

Config Config::defaults()
{
    Config c;
    for (auto name : kDefaultLayers) c.layers.push_back(embedded_layer(name));
    for (auto const& id : embedded_style_ids()) c.styles.push_back({id, "", std::string(embedded_style(id))});
    return c;
}

Config Config::load(std::filesystem::path const& file)
{
    std::string const name = file.string();
    std::string const text = read_text(file, "config");
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (nlohmann::json::parse_error const& e) {
        throw DataError("config " + name + " is not valid JSON (at byte " + std::to_string(e.byte) + ")");
    } catch (nlohmann::json::exception const&) {
        // Found by fuzz_config: a number too large for a double is not a parse_error.
        throw DataError("config " + name + " is not valid JSON (a number is too large)");
    }
    if (!doc.is_object()) throw DataError("config " + name + " must be a JSON object");
    check_keys(doc, "the top level", {"layers", "styles", "influence", "access", "reload"}, name);

    Config c = defaults();
    c.file = file;
    auto const base = file.parent_path();

    if (auto it = doc.find("layers"); it != doc.end()) {
        if (!it->is_object()) throw DataError("config " + name + ": \"layers\" must be an object");
        for (auto const& [layer_name, spec] : it->items()) {
            std::string const where = "layers." + layer_name;
            if (std::find(std::begin(kDefaultLayers), std::end(kDefaultLayers), layer_name) ==
                std::end(kDefaultLayers)) {
                std::string known;
                for (auto k : kDefaultLayers) known += (known.empty() ? "" : ", ") + std::string(k);
                throw DataError("config " + name + ": unknown layer '" + layer_name +
                                "' in \"layers\" (known: " + known + ")");
            }
            if (!spec.is_object()) throw DataError("config " + name + ": " + where + " must be an object");
            check_keys(spec, where, {"source", "layer", "where"}, name);
            LayerSource src;
            src.name = layer_name;
            src.connection = resolve_connection(string_member(spec, "source", where, name, true), base);
            src.layer = string_member(spec, "layer", where, name, false);
            if (src.layer.empty()) src.layer = layer_name;
            src.where = string_member(spec, "where", where, name, false);
            auto existing = std::find_if(c.layers.begin(), c.layers.end(),
                                         [&](LayerSource const& l) { return l.name == src.name; });
            if (existing != c.layers.end())
                *existing = std::move(src);
            else
                c.layers.push_back(std::move(src));
        }
    }

    if (auto it = doc.find("styles"); it != doc.end()) {
        if (!it->is_object()) throw DataError("config " + name + ": \"styles\" must be an object of id → file");
        for (auto const& [id, path] : it->items()) {
            bool const good_id =
                !id.empty() && id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
            if (!good_id)
                throw DataError("config " + name + ": style id '" + id +
                                "' must use only lower-case letters, digits, '-' and '_'");
            if (!path.is_string()) throw DataError("config " + name + ": styles." + id + " must be a file path");
            auto const style_path = base / path.get<std::string>();
            StyleSource s{id, style_path.string(), read_text(style_path, "style " + id + " file")};
            auto existing =
                std::find_if(c.styles.begin(), c.styles.end(), [&](StyleSource const& st) { return st.id == s.id; });
            if (existing != c.styles.end())
                *existing = std::move(s);
            else
                c.styles.push_back(std::move(s));
        }
    }
    if (auto it = doc.find("influence"); it != doc.end()) {
        if (!it->is_string() || it->get<std::string>().empty())
            throw DataError("config " + name + ": \"influence\" must be the path of an influence parameters file");
        c.influence_params = base / it->get<std::string>();
    }
    if (auto it = doc.find("access"); it != doc.end()) c.access = parse_access(*it, name);
    if (auto it = doc.find("reload"); it != doc.end()) c.reload = parse_reload(*it, name);
    return c;
}

} // namespace sahelmap::source
