#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/service.hpp"

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

} // namespace sahelmap::ogc
