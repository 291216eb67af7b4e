#pragma once
#include "sahelmap/service/map_service.hpp"

namespace sahelmap::test {

/// The embedded defaults, loaded once per test process.
inline service::MapService const& default_service()
{
    static auto const svc = service::MapService::load(source::Config::defaults());
    return *svc;
}

} // namespace sahelmap::test
