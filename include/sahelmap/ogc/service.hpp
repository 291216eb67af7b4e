#pragma once
/// What the OGC services answer, independent of the HTTP server: a status,
/// a media type and bytes, now or from a job for the render pool.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/tile.hpp"
#include "sahelmap/service/map_service.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sahelmap::ogc {

struct OgcResponse {
    int status = 200;
    std::string content_type;
    std::string body;
};

/// A request answered now (capabilities, errors), by a job (maps, feature
/// info, legends: heavy work the caller runs on its render pool; the job
/// never throws, failures become exception reports), or as an XYZ tile.
struct OgcPlan {
    std::optional<OgcResponse> now;
    std::function<OgcResponse()> job;
    struct Tile {
        std::string style;
        TileId tile;
        Date time;
    };
    std::optional<Tile> tile;
    /// The pixels the job draws at once (a GetMap's width × height), so the
    /// caller can bound how many are drawn together; 0 for small jobs.
    std::size_t pixels = 0;
};

struct ServiceSettings {
    /// "http://host:port": the URLs capabilities hand out start with it.
    std::string base_url;
    int max_size = 4096; ///< WMS WIDTH and HEIGHT at most this
};

/// The dates the TIME dimension lists: where the data changes.
std::vector<Date> time_values(service::MapService const& service);

/// Parses a TIME value: YYYY-MM-DD (a time of day after it is ignored),
/// or "current"/"now" for `current` (the evidence cut-off: the latest
/// situation the data reports); throws InvalidDimensionValue.
Date parse_time_value(std::string_view text, Date current);

/// WMS 1.3.0 and 1.1.1 over KVP `query`.
OgcPlan wms_request(std::shared_ptr<service::MapService const> service, std::string_view query,
                    ServiceSettings const& settings);

/// WMTS 1.0.0: `path` is /wmts or /wmts/... (RESTful), already percent-decoded
/// (sahelmap::decode_path), `query` the raw KVP.
OgcPlan wmts_request(std::shared_ptr<service::MapService const> const& service, std::string_view path,
                     std::string_view query, ServiceSettings const& settings);

} // namespace sahelmap::ogc
