// WMS and WMTS key-value requests as clients send them: the whole input as
// a WMS query, and as a WMTS query on /wmts and its RESTful path, over the
// embedded data. A plan's job (drawing a map) is not run, so one input stays
// cheap; the parameters, capabilities and exception reports are what is
// fuzzed.
#include "sahelmap/core/error.hpp"
#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/service.hpp"

#include <cstdint>
#include <string>

namespace {

using namespace sahelmap;

std::shared_ptr<service::MapService const> const& shared_service()
{
    static auto const svc = service::MapService::load(source::Config::defaults());
    return svc;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string const text(reinterpret_cast<char const*>(data), size);
    ogc::ServiceSettings const settings{"http://127.0.0.1:8080", 4096};
    try {
        (void)ogc::wms_request(shared_service(), text, settings);
    } catch (Error const&) { // ServiceException among them
    }
    try {
        (void)ogc::wmts_request(shared_service(), "/wmts", text, settings);
    } catch (Error const&) { // ServiceException among them
    }
    // The same bytes as a RESTful WMTS path (a tile, a capabilities document).
    try {
        (void)ogc::wmts_request(shared_service(), "/wmts/" + text.substr(0, text.find('?')), {}, settings);
    } catch (Error const&) { // ServiceException among them
    }
    return 0;
}
