#pragma once
/// Everything one version of the map needs, loaded and validated together:
/// config, data, projected data, styles and their renderers. Immutable and
/// shared; a reload builds a new one and swaps the pointer.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/core/tile.hpp"
#include "sahelmap/influence/model.hpp"
#include "sahelmap/render/renderer.hpp"
#include "sahelmap/service/change.hpp"
#include "sahelmap/source/config.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sahelmap::service {

class MapService {
public:
    /// Reads every layer and parses every style; throws DataError,
    /// StyleError or RenderError (missing font) on the first broken part,
    /// after collecting every problem of a style.
    static std::shared_ptr<MapService const> load(source::Config config);

    /// This service without the data layers `hidden` (protected layers a
    /// client may not see): its store, data, renderers and caches hold none
    /// of their features, so every answer built on it leaves them out. The
    /// styles, the influence model and the evidence cut-off are shared with
    /// this one (the model is not a protected layer).
    std::shared_ptr<MapService const> without_layers(std::vector<std::string> const& hidden) const;

    source::Config const& config() const noexcept { return m_config; }
    FeatureStore const& store() const noexcept { return *m_store; }
    render::MapData const& data() const noexcept { return *m_data; }
    /// The influence model over the regions, sites and corridors; null when
    /// the data has no regions layer.
    influence::InfluenceModel const* influence() const noexcept { return m_influence.get(); }

    std::vector<std::string> style_ids() const;
    /// Throws NotFound naming the style and the ones that exist.
    render::Renderer const& renderer(std::string const& style_id) const;

    /// The data and a style's renderer in any CRS PROJ knows (WMS, print):
    /// projected on first use and kept (the last kMaxProjections CRSs), so
    /// a second map in the same CRS costs only its drawing. "EPSG:3857"
    /// answers the tiles' own. Throws BadRequest for a CRS PROJ refuses,
    /// NotFound for an unknown style.
    std::shared_ptr<render::MapData const> data_in(std::string const& crs) const;
    std::shared_ptr<render::Renderer const> renderer_in(std::string const& style_id, std::string const& crs) const;

    /// A style's renderer in `crs` reduced to the layers of one data layer
    /// (`data_layer` empty: every layer), with or without its background
    /// layers: WMS maps of single layers. Kept per service (the last
    /// kMaxReduced), so parsing and font checks are not paid per map. Null
    /// when nothing of the style is left. Throws like renderer_in().
    std::shared_ptr<render::Renderer const> reduced_renderer(std::string const& style_id, std::string const& crs,
                                                             std::string const& data_layer, bool background) const;

    /// The change map from `span.from` to `span.to` in `crs`: the embedded
    /// change style over change_store(). Kept per service (the last
    /// kMaxChanges), by CRS and the two dates' epochs, so the tiles of one
    /// comparison build it once. Throws like renderer_in().
    std::shared_ptr<render::Renderer const> change_renderer(ChangeSpan span, std::string const& crs) const;
    /// The change maps' style (embedded; not one of style_ids()).
    std::shared_ptr<style::Style const> const& change_style() const noexcept { return m_change_style; }
    /// The PNG bytes of a change map's tile; scale 1 or 2.
    std::string change_tile_png(TileId const& tile, int scale, ChangeSpan span) const;

    /// A document that depends on this service and a few words of the
    /// request alone (an OGC capabilities document for one version and base
    /// URL).
    struct Document {
        std::string media_type;
        std::string body;
    };
    /// The document stored under `key`, made by `make` on first use and kept
    /// (the last kMaxDocuments), so clients that ask for it often pay its
    /// making once per reload. `make` runs outside the lock and may throw
    /// (nothing is stored then); two threads may make the same document at
    /// once, and the first one stored is the one kept.
    std::shared_ptr<Document const> document(std::string const& key, std::function<Document()> const& make) const;

    /// The caches and spare threads every renderer of this service shares.
    render::RenderResources const& resources() const noexcept { return *m_resources; }

    /// The PNG bytes of a tile; scale 1 or 2.
    std::string tile_png(std::string const& style_id, TileId const& tile, int scale, Date time) const;

    /// The evidence cut-off: the latest dated item of the record (see
    /// latest_dated_item()), today when nothing in the data is dated. The
    /// default date of every map, tile and query: a map "as of today" would
    /// silently extend the last reports to a day nobody reported on.
    Date evidence_until() const noexcept { return m_evidence_until; }
    /// What a map of `time` must say when it is after the cut-off ("no
    /// reporting after YYYY-MM-DD"); empty up to the cut-off.
    std::string reporting_notice(Date time) const;

private:
    source::Config m_config;
    std::shared_ptr<render::RenderResources const> m_resources = std::make_shared<render::RenderResources const>();
    std::shared_ptr<FeatureStore const> m_store;
    std::shared_ptr<influence::InfluenceModel const> m_influence;
    std::shared_ptr<render::MapData const> m_data;
    std::vector<std::pair<std::string, std::shared_ptr<render::Renderer const>>> m_renderers;
    Date m_evidence_until;

    // What MapData::build needs again for another CRS.
    std::vector<render::DynamicLayer> m_dynamic;
    render::FieldSampler m_fields;
    static constexpr std::size_t kMaxProjections = 12;
    struct Projection {
        std::shared_ptr<render::MapData const> data;
        std::map<std::string, std::shared_ptr<render::Renderer const>> renderers; ///< by style id
        std::uint64_t last_use = 0;
    };
    mutable std::mutex m_projection_mutex;
    mutable std::map<std::string, Projection> m_projections; ///< by CRS, besides EPSG:3857
    mutable std::uint64_t m_projection_clock = 0;

    static constexpr std::size_t kMaxReduced = 64;
    struct Reduced {
        std::shared_ptr<render::MapData const> data;      ///< the projection it was made for
        std::shared_ptr<render::Renderer const> renderer; ///< null: nothing of the style is left
        std::uint64_t last_use = 0;
    };
    mutable std::mutex m_reduced_mutex;
    mutable std::map<std::string, Reduced> m_reduced; ///< by CRS, style, data layer and background
    mutable std::uint64_t m_reduced_clock = 0;

    // Keys carry a base URL, which may come from a client's Host: bounded.
    static constexpr std::size_t kMaxDocuments = 32;
    struct StoredDocument {
        std::shared_ptr<Document const> document;
        std::uint64_t last_use = 0;
    };
    mutable std::mutex m_document_mutex;
    mutable std::map<std::string, StoredDocument> m_documents;
    mutable std::uint64_t m_document_clock = 0;

    std::shared_ptr<style::Style const> m_change_style;
    static constexpr std::size_t kMaxChanges = 8;
    mutable std::mutex m_change_mutex;
    mutable std::map<std::string, Reduced> m_changes; ///< by CRS and the two epochs
    mutable std::uint64_t m_change_clock = 0;
};

/// The latest date any feature of the store carries: its validity
/// (valid_from, valid_to) and every date field (a field whose non-empty
/// values are all dates, such as an event's `date`), in any layer. Nullopt
/// when nothing is dated.
std::optional<Date> latest_dated_item(FeatureStore const& store);

/// The date maps and queries show when none is given: latest_dated_item(),
/// else today.
Date default_time(FeatureStore const& store);

/// How many distinct sources a layer cites: the non-empty items of its
/// `source` field, split on "; " (0 without such a field).
std::size_t count_sources(FeatureLayer const& layer);

} // namespace sahelmap::service
