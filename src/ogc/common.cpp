#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/service.hpp"

#include "remembered.hpp"

namespace sahelmap::ogc {

std::vector<Date> time_values(service::MapService const& service)
{
    return service.data().change_dates();
}

Date parse_time_value(std::string_view text, Date current)
{
    auto const u = upper(text);
    // The most recent situation there is evidence for, not today's date.
    if (u == "CURRENT" || u == "NOW") return current;
    // 2025-06-01T00:00:00Z: the map has no time of day, the day decides.
    try {
        return parse_date_parameter(text, "TIME");
    } catch (BadRequest const& e) {
        throw ServiceException("InvalidDimensionValue", e.what(), "TIME");
    }
}

namespace detail {

OgcResponse remembered(service::MapService const& service, std::string_view what, ServiceSettings const& settings,
                       std::function<OgcResponse()> const& make)
{
    auto const key = std::string(what) + '\n' + settings.base_url + '\n' + std::to_string(settings.max_size);
    auto const document = service.document(key, [&] {
        auto made = make();
        return service::MapService::Document{std::move(made.content_type), std::move(made.body)};
    });
    return {200, document->media_type, document->body};
}

} // namespace detail

} // namespace sahelmap::ogc
