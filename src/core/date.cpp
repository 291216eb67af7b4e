#include "sahelmap/core/date.hpp"

#include <chrono>
#include <cstdio>

namespace sahelmap {

namespace {
bool parse_digits(std::string_view s, int& out)
{
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return !s.empty();
}
} // namespace

std::optional<Date> Date::parse(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int y = 0, m = 0, d = 0;
    if (!parse_digits(text.substr(0, 4), y) || !parse_digits(text.substr(5, 2), m) ||
        !parse_digits(text.substr(8, 2), d))
        return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                    std::chrono::day(static_cast<unsigned>(d))};
    if (!ymd.ok()) return std::nullopt;
    return Date(std::chrono::sys_days(ymd).time_since_epoch().count());
}

Date Date::from_ymd(int year, unsigned month, unsigned day)
{
    std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
    return Date(std::chrono::sys_days(ymd).time_since_epoch().count());
}

Date Date::today()
{
    auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return Date(static_cast<std::int32_t>(now.time_since_epoch().count()));
}

std::string Date::to_string() const
{
    std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(m_days))};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

} // namespace sahelmap
