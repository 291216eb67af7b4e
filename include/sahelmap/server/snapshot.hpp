#pragma once
/// One loaded version of the map service as the server sees it. Requests
/// take the current snapshot once and keep it to the end, so a reload in
/// the middle never mixes two versions in one answer.
#include "sahelmap/service/map_service.hpp"

#include <cstdint>
#include <memory>

namespace sahelmap::server {

struct Snapshot {
    std::shared_ptr<service::MapService const> service;
    std::uint64_t version = 0;     ///< 1, 2, ... one per successful (re)load
    std::uint64_t fingerprint = 0; ///< hash of styles, data and this binary: tile ETags build on it
};

/// Wraps a loaded service; computes its fingerprint (a few ms: it hashes
/// every feature, so a change of data or style always changes the ETags,
/// while a reload that changed nothing keeps them).
std::shared_ptr<Snapshot const> make_snapshot(std::shared_ptr<service::MapService const> service,
                                              std::uint64_t version);

} // namespace sahelmap::server
