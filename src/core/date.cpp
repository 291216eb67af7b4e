#include "sahelmap/core/date.hpp"

#include "sahelmap/core/error.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <string>

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

/// Quotes client text in a message: at most 64 bytes of it.
std::string quoted(std::string_view s)
{
    return "'" + std::string(s.substr(0, 64)) + (s.size() > 64 ? "...'" : "'");
}

/// `text[at, at + 2)` as a number within [lo, hi]; throws naming `what`.
int field(std::string_view text, std::size_t at, char const* what, int lo, int hi, std::string_view whole,
          std::string_view parameter)
{
    int v = -1;
    if (at + 2 <= text.size() && std::isdigit(static_cast<unsigned char>(text[at])) &&
        std::isdigit(static_cast<unsigned char>(text[at + 1])))
        v = (text[at] - '0') * 10 + (text[at + 1] - '0');
    if (v < 0)
        throw BadRequest(std::string(parameter) + " " + quoted(whole) +
                         " is not a date (YYYY-MM-DD) or an RFC 3339 date-time (YYYY-MM-DDThh:mm:ssZ)");
    if (v < lo || v > hi)
        throw BadRequest(std::string(parameter) + " " + quoted(whole) + " has " + what + " " + std::to_string(v) +
                         ", outside " + std::to_string(lo) + "-" + std::to_string(hi));
    return v;
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
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

Date parse_date_parameter(std::string_view text, std::string_view parameter)
{
    auto const malformed = [&] {
        return BadRequest(std::string(parameter) + " " + quoted(text) +
                          " is not a date (YYYY-MM-DD) or an RFC 3339 date-time (YYYY-MM-DDThh:mm:ssZ)");
    };
    if (text.size() < 10 || text[4] != '-' || text[7] != '-' ||
        text.substr(0, 4).find_first_not_of("0123456789") != std::string_view::npos)
        throw malformed();
    int const month = field(text, 5, "month", 1, 12, text, parameter);
    int const day = field(text, 8, "day", 1, 31, text, parameter);
    auto const date = Date::parse(text.substr(0, 10));
    if (!date)
        throw BadRequest(std::string(parameter) + " " + quoted(text) + " has day " + std::to_string(day) +
                         ", which month " + std::to_string(month) + " of that year does not have");
    if (text.size() == 10) return *date;
    // T hh:mm:ss [.fraction] (Z | ±hh:mm)
    if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        throw malformed();
    field(text, 11, "hour", 0, 23, text, parameter);
    field(text, 14, "minute", 0, 59, text, parameter);
    field(text, 17, "second", 0, 60, text, parameter); // 60: a leap second
    std::size_t at = 19;
    if (text[at] == '.') {
        auto const digits = text.find_first_not_of("0123456789", at + 1);
        if (digits == at + 1 || digits == std::string_view::npos) throw malformed();
        at = digits;
    }
    auto const zone = text.substr(at);
    if (zone == "Z" || zone == "z") return *date;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') throw malformed();
    field(zone, 1, "offset hour", 0, 23, text, parameter);
    field(zone, 4, "offset minute", 0, 59, text, parameter);
    return *date;
}

} // namespace sahelmap
