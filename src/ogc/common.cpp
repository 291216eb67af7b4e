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
    auto day = text.size() > 10 && (text[10] == 'T' || text[10] == 't') ? text.substr(0, 10) : text;
    if (auto d = Date::parse(day)) return *d;
    throw ServiceException("InvalidDimensionValue",
                           "TIME '" + std::string(text.substr(0, 40)) + "' is not a date in the form YYYY-MM-DD",
                           "TIME");
}

} // namespace sahelmap::ogc
