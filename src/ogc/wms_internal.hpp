#pragma once
/// Internal to src/ogc: what the WMS files share. wms.cpp parses requests
/// and answers GetMap; wms_exceptions.cpp writes exception reports;
/// wms_capabilities.cpp and wms_operations.cpp answer the other requests.
#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/map.hpp"
#include "sahelmap/ogc/service.hpp"

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace sahelmap::ogc::detail {

/// The most layers one GetMap draws; the capabilities say so too.
inline constexpr int kMaxLayers = 16;

struct Version {
    bool v130 = true;
    std::string text() const { return v130 ? "1.3.0" : "1.1.1"; }
    char const* crs_param() const { return v130 ? "CRS" : "SRS"; }
};

/// An exception report in the version's format (see wms_exceptions.cpp).
OgcResponse exception_report(Version version, std::string code, std::string const& message, std::string locator);

/// The exception report for a failure.
OgcResponse report(Version version, std::exception_ptr error);

/// The map part shared by GetMap and GetFeatureInfo.
struct MapParams {
    MapRequest map;
    std::vector<NamedLayer> all_layers;
};

std::vector<std::string> split_commas(std::string const& text);
int parse_pixel(Kvp const& kvp, char const* name, int limit);

OgcResponse capabilities(service::MapService const& service, Version version, ServiceSettings const& settings);
OgcResponse feature_info(service::MapService const& service, MapParams const& params, Kvp const& kvp, Version version);
OgcResponse legend(service::MapService const& service, Kvp const& kvp);

} // namespace sahelmap::ogc::detail
