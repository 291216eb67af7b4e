#pragma once
/// Internal to src/ogc: capabilities documents kept by the map service.
#include "sahelmap/ogc/service.hpp"

#include <functional>
#include <string_view>

namespace sahelmap::ogc::detail {

/// The document `make` answers for `what` ("WMS 1.3.0", "WMTS") under these
/// settings, made once per service (MapService::document) and then served
/// from memory: a capabilities document takes milliseconds to write and
/// depends only on the service, the version and the settings, and clients
/// ask for it again on every connection.
OgcResponse remembered(service::MapService const& service, std::string_view what, ServiceSettings const& settings,
                       std::function<OgcResponse()> const& make);

} // namespace sahelmap::ogc::detail
