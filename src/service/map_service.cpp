#include "sahelmap/service/map_service.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/influence/layer.hpp"
#include "sahelmap/source/embedded.hpp"
#include "sahelmap/source/gdal_reader.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string_view>

namespace sahelmap::service {

namespace {

/// The influence layer's attributes at a date. The model caches one result
/// per set of active features; the layer made from each result is cached
/// here, so a tile costs a map lookup, not a copy of every region.
class InfluenceAttributes {
public:
    explicit InfluenceAttributes(std::shared_ptr<influence::InfluenceModel const> model) : m_model(std::move(model)) {}

    std::shared_ptr<FeatureLayer const> operator()(Date t)
    {
        auto result = m_model->compute(t);
        std::lock_guard lock(m_mutex);
        auto& slot = m_layers[result.get()];
        if (!slot) slot = std::make_shared<FeatureLayer const>(influence::make_layer(m_model->grid(), *result));
        return slot;
    }

private:
    std::shared_ptr<influence::InfluenceModel const> m_model;
    std::mutex m_mutex;
    std::map<influence::InfluenceResult const*, std::shared_ptr<FeatureLayer const>> m_layers;
};

/// Drops the least recently used entry of a cache keyed by string when
/// `key` is new and the cache holds `limit` entries already.
template <class Entry> void make_room(std::map<std::string, Entry>& cache, std::string const& key, std::size_t limit)
{
    if (cache.size() < limit || cache.count(key)) return;
    cache.erase(std::min_element(cache.begin(), cache.end(),
                                 [](auto const& a, auto const& b) { return a.second.last_use < b.second.last_use; }));
}

} // namespace

std::shared_ptr<MapService const> MapService::load(source::Config config)
{
    auto svc = std::make_shared<MapService>();
    svc->m_store = source::load_store(config);
    svc->m_evidence_until = default_time(*svc->m_store);

    std::vector<render::DynamicLayer> dynamic;
    if (svc->m_store->find("regions")) {
        auto params = config.influence_params.empty() ? influence::Params::embedded()
                                                      : influence::Params::load(config.influence_params);
        svc->m_influence = influence::InfluenceModel::build(*svc->m_store, std::move(params));
        auto attributes = std::make_shared<InfluenceAttributes>(svc->m_influence);
        // Geometry and schema from any date: only the values change.
        // Every admin layout's regions, each with its validity: the renderer keeps those in force.
        dynamic.push_back(
            {influence::make_layer(svc->m_influence->grid(), *svc->m_influence->compute(svc->m_evidence_until)),
             [attributes](Date t) { return (*attributes)(t); }});
    }
    render::FieldSampler fields;
    if (svc->m_influence) {
        fields = [model = svc->m_influence](std::string const& field, Date t, std::span<LonLat const> points,
                                            std::span<float> out) {
            model->sample_field(t, model->bloc_index(field), points, out);
        };
    }
    svc->m_dynamic = dynamic;
    svc->m_fields = fields;
    svc->m_data = render::MapData::build(svc->m_store, "EPSG:3857", std::move(dynamic), std::move(fields));
    std::vector<std::string> layer_names;
    for (auto const& l : svc->m_store->layers) layer_names.push_back(l.name);
    if (svc->m_influence) layer_names.emplace_back(influence::kLayerName);
    for (auto const& s : config.styles) {
        // /tiles/vector/... and /tiles/vector.json are the vector tiles.
        if (s.id == "vector")
            throw StyleError(s.id, {"the style id \"vector\" is reserved for the vector tiles; rename the style"});
        // /tiles/change/... are the change maps' tiles.
        if (s.id == "change")
            throw StyleError(s.id, {"the style id \"change\" is reserved for the change maps; rename the style"});
        auto style = style::Style::parse(s.id, s.json, layer_names);
        // Heatmap layers draw an influence bloc's field: the name must be a bloc.
        std::vector<std::string> problems;
        for (std::size_t i = 0; i < style->layers().size(); ++i)
            if (auto const* heat = std::get_if<style::HeatmapLayer>(&style->layers()[i].props)) {
                auto const& blocs = svc->m_influence ? svc->m_influence->blocs() : std::vector<std::string>{};
                if (std::find(blocs.begin(), blocs.end(), heat->field) != blocs.end()) continue;
                std::string known;
                for (auto const& b : blocs) known += (known.empty() ? "" : ", ") + b;
                problems.push_back("layers[" + std::to_string(i) + "].metadata.sahelmap:field: unknown field \"" +
                                   heat->field + "\" (fields: " + (known.empty() ? "none" : known) + ")");
            }
        if (!problems.empty()) throw StyleError(s.id, std::move(problems));
        svc->m_renderers.emplace_back(
            s.id, std::make_shared<render::Renderer const>(svc->m_data, std::move(style), svc->m_resources));
    }
    // Ours and embedded, so a broken change style is a build defect, found by any test.
    svc->m_change_style = style::Style::parse("change", source::embedded_change_style(),
                                              {"countries", "borders", "places", "regions", "sites"});
    svc->m_config = std::move(config);
    return svc;
}

std::shared_ptr<MapService const> MapService::without_layers(std::vector<std::string> const& hidden) const
{
    auto is_hidden = [&](std::string const& name) {
        return std::find(hidden.begin(), hidden.end(), name) != hidden.end();
    };
    auto svc = std::make_shared<MapService>();
    svc->m_config = m_config;
    std::erase_if(svc->m_config.layers, [&](source::LayerSource const& l) { return is_hidden(l.name); });
    auto store = std::make_shared<FeatureStore>();
    for (auto const& layer : m_store->layers)
        if (!is_hidden(layer.name)) store->layers.push_back(layer);
    svc->m_store = std::move(store);
    svc->m_influence = m_influence;
    svc->m_evidence_until = m_evidence_until;
    svc->m_dynamic = m_dynamic;
    svc->m_fields = m_fields;
    // Caches of its own (the default m_resources): label rasters drawn with
    // a protected layer must never be reused by a view without it.
    svc->m_data = render::MapData::build(svc->m_store, "EPSG:3857", m_dynamic, m_fields);
    for (auto const& [id, renderer] : m_renderers)
        svc->m_renderers.emplace_back(
            id, std::make_shared<render::Renderer const>(svc->m_data, renderer->style_ptr(), svc->m_resources));
    svc->m_change_style = m_change_style;
    return svc;
}

std::vector<std::string> MapService::style_ids() const
{
    std::vector<std::string> ids;
    for (auto const& [id, r] : m_renderers) ids.push_back(id);
    return ids;
}

render::Renderer const& MapService::renderer(std::string const& style_id) const
{
    for (auto const& [id, r] : m_renderers)
        if (id == style_id) return *r;
    std::string known;
    for (auto const& [id, r] : m_renderers) known += (known.empty() ? "" : ", ") + id;
    throw NotFound("unknown style '" + style_id.substr(0, 64) + "' (styles: " + known + ")");
}

std::shared_ptr<render::MapData const> MapService::data_in(std::string const& crs) const
{
    if (crs == "EPSG:3857") return m_data;
    std::lock_guard lock(m_projection_mutex);
    auto it = m_projections.find(crs);
    if (it == m_projections.end()) {
        // Projecting takes tens of milliseconds; holding the lock meanwhile
        // keeps two requests from projecting the same CRS twice.
        auto data = render::MapData::build(m_store, crs, m_dynamic, m_fields);
        if (m_projections.size() >= kMaxProjections) {
            auto oldest =
                std::min_element(m_projections.begin(), m_projections.end(),
                                 [](auto const& a, auto const& b) { return a.second.last_use < b.second.last_use; });
            m_projections.erase(oldest);
        }
        it = m_projections.emplace(crs, Projection{std::move(data), {}, 0}).first;
    }
    it->second.last_use = ++m_projection_clock;
    return it->second.data;
}

std::shared_ptr<render::Renderer const> MapService::renderer_in(std::string const& style_id,
                                                                std::string const& crs) const
{
    auto const& tiles_renderer = renderer(style_id); // NotFound for an unknown style
    if (crs == "EPSG:3857") {
        for (auto const& [id, r] : m_renderers)
            if (id == style_id) return r;
    }
    auto data = data_in(crs);
    std::lock_guard lock(m_projection_mutex);
    auto it = m_projections.find(crs);
    if (it == m_projections.end() || it->second.data != data) // evicted meanwhile: draw uncached
        return std::make_shared<render::Renderer const>(data, tiles_renderer.style_ptr(), m_resources);
    auto& slot = it->second.renderers[style_id];
    if (!slot) slot = std::make_shared<render::Renderer const>(data, tiles_renderer.style_ptr(), m_resources);
    return slot;
}

std::shared_ptr<render::Renderer const> MapService::reduced_renderer(std::string const& style_id,
                                                                     std::string const& crs,
                                                                     std::string const& data_layer,
                                                                     bool background) const
{
    if (data_layer.empty() && background) return renderer_in(style_id, crs);
    auto const& whole = renderer(style_id); // NotFound for an unknown style
    auto data = data_in(crs);
    std::string key = crs + '\n' + style_id + '\n' + data_layer + (background ? "\nb" : "\n");
    {
        std::lock_guard lock(m_reduced_mutex);
        if (auto it = m_reduced.find(key); it != m_reduced.end() && it->second.data == data) {
            it->second.last_use = ++m_reduced_clock;
            return it->second.renderer;
        }
    }
    auto style = whole.style().subset([&](style::StyleLayer const& l) {
        return l.type == style::LayerType::background ? background : data_layer.empty() || l.source_layer == data_layer;
    });
    auto reduced = style ? std::make_shared<render::Renderer const>(data, std::move(style), m_resources) : nullptr;
    std::lock_guard lock(m_reduced_mutex);
    make_room(m_reduced, key, kMaxReduced);
    m_reduced[key] = Reduced{std::move(data), reduced, ++m_reduced_clock};
    return reduced;
}

std::string MapService::tile_png(std::string const& style_id, TileId const& tile, int scale, Date time) const
{
    if (scale != 1 && scale != 2) throw BadRequest("scale must be 1 or 2, not " + std::to_string(scale));
    auto const& r = renderer(style_id);
    return encode::encode_png(r.render(render::Renderer::tile_view(tile, scale, time)));
}

std::shared_ptr<render::Renderer const> MapService::change_renderer(ChangeSpan span, std::string const& crs) const
{
    auto const key =
        crs + '\n' + std::to_string(m_data->epoch_of(span.from)) + '\n' + std::to_string(m_data->epoch_of(span.to));
    {
        std::lock_guard lock(m_change_mutex);
        if (auto it = m_changes.find(key); it != m_changes.end()) {
            it->second.last_use = ++m_change_clock;
            return it->second.renderer;
        }
    }
    geo::crs_name(crs); // BadRequest for a CRS PROJ refuses, before any work
    auto store = change_store(*m_store, m_influence.get(), span);
    // Only the layers this data has: bring-your-own data may lack places or regions.
    auto style = m_change_style->subset([&](style::StyleLayer const& l) {
        return l.type == style::LayerType::background || store->find(l.source_layer) != nullptr;
    });
    auto data = render::MapData::build(std::move(store), crs);
    auto renderer = std::make_shared<render::Renderer const>(data, std::move(style), m_resources);
    std::lock_guard lock(m_change_mutex);
    make_room(m_changes, key, kMaxChanges);
    m_changes[key] = Reduced{std::move(data), renderer, ++m_change_clock};
    return renderer;
}

std::shared_ptr<MapService::Document const> MapService::document(std::string const& key,
                                                                 std::function<Document()> const& make) const
{
    {
        std::lock_guard lock(m_document_mutex);
        if (auto it = m_documents.find(key); it != m_documents.end()) {
            it->second.last_use = ++m_document_clock;
            return it->second.document;
        }
    }
    auto made = std::make_shared<Document const>(make());
    std::lock_guard lock(m_document_mutex);
    make_room(m_documents, key, kMaxDocuments);
    auto [it, inserted] = m_documents.try_emplace(key, StoredDocument{std::move(made), 0});
    it->second.last_use = ++m_document_clock;
    return it->second.document;
}

std::string MapService::change_tile_png(TileId const& tile, int scale, ChangeSpan span) const
{
    if (scale != 1 && scale != 2) throw BadRequest("scale must be 1 or 2, not " + std::to_string(scale));
    auto const r = change_renderer(span, "EPSG:3857");
    return encode::encode_png(r->render(render::Renderer::tile_view(tile, scale, span.to)));
}

std::string MapService::reporting_notice(Date time) const
{
    if (time <= m_evidence_until) return {};
    return "no reporting after " + m_evidence_until.to_string();
}

namespace {

/// A value as a date: "YYYY-MM-DD", or a date-time whose day decides.
std::optional<Date> date_of(Value const& value)
{
    auto const* text = value.as_string();
    if (!text) return std::nullopt;
    std::string_view day(*text);
    if (day.size() > 10 && (day[10] == 'T' || day[10] == ' ')) day = day.substr(0, 10);
    return Date::parse(day);
}

bool blank(Value const& value)
{
    auto const* text = value.as_string();
    return value.is_null() || (text && text->empty());
}

} // namespace

std::optional<Date> latest_dated_item(FeatureStore const& store)
{
    std::optional<Date> latest;
    auto consider = [&latest](std::optional<Date> d) {
        if (d && (!latest || *latest < *d)) latest = d;
    };
    for (auto const& layer : store.layers) {
        for (auto const& f : layer.features) {
            consider(f.validity.from);
            consider(f.validity.to);
        }
        // A field counts as dated only when every value it holds is a date:
        // a name or a source that happens to parse must not move the cut-off.
        for (std::size_t i = 0; i < layer.schema.fields.size(); ++i) {
            std::optional<Date> field_latest;
            bool dated = true;
            for (auto const& f : layer.features) {
                if (i >= f.values.size() || blank(f.values[i])) continue;
                auto const d = date_of(f.values[i]);
                if (!d) {
                    dated = false;
                    break;
                }
                if (!field_latest || *field_latest < *d) field_latest = d;
            }
            if (dated) consider(field_latest);
        }
    }
    return latest;
}

Date default_time(FeatureStore const& store)
{
    return latest_dated_item(store).value_or(Date::today());
}

std::size_t count_sources(FeatureLayer const& layer)
{
    int const index = layer.schema.index_of("source");
    if (index < 0) return 0;
    auto const field = static_cast<std::size_t>(index);
    std::set<std::string_view> sources;
    for (auto const& f : layer.features) {
        auto const* text = field < f.values.size() ? f.values[field].as_string() : nullptr;
        if (!text) continue;
        std::string_view rest(*text);
        while (!rest.empty()) {
            auto const cut = rest.find("; ");
            auto item = rest.substr(0, cut);
            while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
            while (!item.empty() && (item.back() == ' ' || item.back() == ';')) item.remove_suffix(1);
            if (!item.empty()) sources.insert(item);
            if (cut == std::string_view::npos) break;
            rest.remove_prefix(cut + 2);
        }
    }
    return sources.size();
}

} // namespace sahelmap::service
