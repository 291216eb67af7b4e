#pragma once
// Protected layers (config "access"), internal to src/server: the view of
// the service a request's key opens, and the headers of key-dependent answers.
#include "sahelmap/server/router.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sahelmap::server::detail {

struct Access {
    RouteContext context;           ///< with the key's view as snapshot and access_key set
    std::optional<Request> request; ///< the request without its `key` parameter, when it had one
};

/// The view the request's key opens: the Bearer token of Authorization, else
/// the `key` query parameter. No key: the public view. Throws Unauthorized
/// for a key that matches none of the configured digests. Without an access
/// policy, everything is left as it is.
Access resolve_access(Request const& request, RouteContext const& context);

/// Adds `Vary: Authorization` to an answer of a service with an access
/// policy, and turns it `private` when a key unlocked its view or was sent.
void mark_key_dependent(Response& response, Snapshot const& snapshot, bool key_given);

/// The target with the values of its `key` parameters replaced: for the access log.
std::string redact_keys(std::string_view target);

} // namespace sahelmap::server::detail
