#pragma once
/// Calendar dates (proleptic Gregorian, no time of day) and validity ranges.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sahelmap {

/// A day, stored as days since 1970-01-01.
class Date {
public:
    constexpr Date() = default;
    static constexpr Date from_days(std::int32_t days) { return Date(days); }
    /// Valid calendar dates only: `2025-02-30` and `2025-2-3` give nullopt.
    static std::optional<Date> parse(std::string_view text);
    static Date from_ymd(int year, unsigned month, unsigned day);
    static Date today();

    constexpr std::int32_t days() const noexcept { return m_days; }
    std::string to_string() const; ///< YYYY-MM-DD
    friend constexpr auto operator<=>(Date, Date) = default;

private:
    constexpr explicit Date(std::int32_t days) : m_days(days) {}
    std::int32_t m_days = 0;
};

/// A date parameter as clients send it (`time`, WMS TIME, OGC API
/// `datetime`, the CLI's --time): a date (YYYY-MM-DD) or an RFC 3339
/// date-time (YYYY-MM-DDThh:mm:ss[.f](Z|±hh:mm)), every field checked; the
/// day is what counts, since maps have no time of day. Throws BadRequest
/// naming `parameter` and what is wrong (hour 25, 30 February, ...).
Date parse_date_parameter(std::string_view text, std::string_view parameter = "time");

/// When a feature is present: valid_from ≤ t < valid_to; a missing end is open.
struct Validity {
    std::optional<Date> from;
    std::optional<Date> to;

    constexpr bool contains(Date t) const noexcept { return (!from || *from <= t) && (!to || t < *to); }
    constexpr bool always() const noexcept { return !from && !to; }
};

} // namespace sahelmap
