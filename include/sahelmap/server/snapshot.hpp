#pragma once
/// One loaded version of the map service as the server sees it. Requests
/// take the current snapshot once and keep it to the end, so a reload in
/// the middle never mixes two versions in one answer.
#include "sahelmap/service/map_service.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace sahelmap::server {

struct Snapshot {
    std::shared_ptr<service::MapService const> service;
    std::uint64_t version = 0;     ///< 1, 2, ... one per successful (re)load
    std::uint64_t fingerprint = 0; ///< hash of styles, data and this binary: tile ETags build on it
    /// The shared data's version read just before this load (config
    /// "reload"); empty without a watch.
    std::string data_version;

    // Protected layers (config "access"). With a policy, the snapshot the
    // server holds is the public view: its service lacks every protected
    // layer. A request with a valid key is answered from keyed[key name],
    // a view with the layers that key unlocks; views of equal layer sets are
    // one object. Answers then depend on the key (router: Vary, private).
    bool access = false; ///< the config has an access policy
    bool keyed = false;  ///< a view a key unlocked (not the public one)
    std::string hidden;  ///< the protected layers missing, comma-separated: part of tile cache keys
    /// Public snapshot only: by key name; null for a key that unlocks nothing (the public view).
    std::map<std::string, std::shared_ptr<Snapshot const>> views;
};

/// Wraps a loaded service; computes its fingerprint (a few ms: it hashes
/// every feature, so a change of data or style always changes the ETags,
/// while a reload that changed nothing keeps them).
std::shared_ptr<Snapshot const> make_snapshot(std::shared_ptr<service::MapService const> service, std::uint64_t version,
                                              std::string const& data_version = {});

} // namespace sahelmap::server
