#pragma once
/// Query parameters of OGC API - Features Part 1 (core), validated at the
/// boundary: `bbox`, `datetime`, `limit`, `offset` and the format `f`.
/// Every malformed value throws BadRequest naming the parameter.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/geometry.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::features {

inline constexpr std::size_t kDefaultLimit = 100;
inline constexpr std::size_t kMaxLimit = 10000;

/// A `datetime` value: an instant (start == end) or a closed, half-bounded
/// or unbounded interval of days. Times of day are accepted and dropped:
/// the data's validity is by day.
struct TimeFilter {
    std::optional<Date> start;
    std::optional<Date> end;
    bool instant = false;
    std::string text; ///< as given (decoded), for the links that repeat it

    /// Whether a feature valid over `v` (valid_from ≤ t < valid_to) is
    /// present at some day of the filter; an instant uses Validity::contains.
    bool matches(Validity const& v) const noexcept;
    /// The day whose computed attributes (influence scores) answer the
    /// filter: the instant, else the interval's end, else its start.
    std::optional<Date> representative() const noexcept;
};

/// A `bbox` in CRS84 (lon/lat). minx > maxx means the box crosses the
/// antimeridian.
struct LonLatBox {
    double west = 0, south = 0, east = 0, north = 0;
    std::string text; ///< as given (decoded), for the links
};

enum class Format { json, html };

/// The parameters of /collections/{id}/items.
struct ItemsQuery {
    std::optional<LonLatBox> bbox;
    std::optional<TimeFilter> datetime;
    std::size_t limit = kDefaultLimit;
    std::size_t offset = 0;
};

/// `key=value` pairs of a query string, percent-decoded (`+` is a space).
/// Throws BadRequest for a malformed escape.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

TimeFilter parse_datetime(std::string_view text);
LonLatBox parse_bbox(std::string_view text);

/// Parses the items parameters; any parameter not in `allowed` besides
/// bbox, datetime, limit, offset and f is refused (400), as Part 1 asks.
/// A limit above kMaxLimit is lowered to it (Part 1: not an error).
ItemsQuery parse_items_query(std::vector<std::pair<std::string, std::string>> const& params);

/// Refuses parameters other than `f` (for the landing page, conformance,
/// collections and single items).
void check_no_other_params(std::vector<std::pair<std::string, std::string>> const& params);

/// Percent-encodes a query value (keeps unreserved characters and , : /).
std::string encode_query_value(std::string_view value);

} // namespace sahelmap::features
