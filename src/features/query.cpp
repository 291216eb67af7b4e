#include "sahelmap/features/query.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/core/uri.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace sahelmap::features {

namespace {

/// Quotes client text in a message: at most 64 bytes of it.
std::string quoted(std::string_view s)
{
    return "'" + std::string(s.substr(0, 64)) + (s.size() > 64 ? "...'" : "'");
}

std::size_t parse_count(std::string_view name, std::string_view text)
{
    std::size_t v = 0;
    auto const* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (!text.empty() && p == end && ec == std::errc::result_out_of_range) return static_cast<std::size_t>(-1);
    if (text.empty() || ec != std::errc() || p != end)
        throw BadRequest(std::string(name) + " " + quoted(text) + " is not a non-negative integer");
    return v;
}

} // namespace

bool TimeFilter::matches(Validity const& v) const noexcept
{
    if (instant) return v.contains(*start);
    // [valid_from, valid_to) meets [start, end] (days, inclusive).
    return (!end || !v.from || *v.from <= *end) && (!start || !v.to || *start < *v.to);
}

std::optional<Date> TimeFilter::representative() const noexcept
{
    if (instant) return start;
    return end ? end : start;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query)
{
    return QueryString(query).pairs();
}

TimeFilter parse_datetime(std::string_view text)
{
    TimeFilter f;
    f.text = std::string(text);
    auto const slash = text.find('/');
    if (slash == std::string_view::npos) {
        if (text.empty() || text == "..")
            throw BadRequest("datetime " + quoted(text) + " is neither an instant nor an interval a/b");
        f.start = f.end = parse_date_parameter(text, "datetime");
        f.instant = true;
        return f;
    }
    auto const a = text.substr(0, slash), b = text.substr(slash + 1);
    if (b.find('/') != std::string_view::npos) throw BadRequest("datetime " + quoted(text) + " has more than one '/'");
    if (!a.empty() && a != "..") f.start = parse_date_parameter(a, "datetime");
    if (!b.empty() && b != "..") f.end = parse_date_parameter(b, "datetime");
    if (f.start && f.end && *f.end < *f.start) throw BadRequest("datetime " + quoted(text) + " ends before it starts");
    return f;
}

LonLatBox parse_bbox(std::string_view text)
{
    std::vector<double> v;
    std::string_view rest = text;
    while (true) {
        auto const comma = rest.find(',');
        auto const item = rest.substr(0, comma);
        double d = 0;
        auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), d);
        if (item.empty() || ec != std::errc() || p != item.data() + item.size() || !std::isfinite(d))
            throw BadRequest("bbox " + quoted(text) +
                             " is not 4 (or 6) comma-separated numbers minlon,minlat,maxlon,maxlat");
        v.push_back(d);
        if (comma == std::string_view::npos || v.size() > 6) break;
        rest.remove_prefix(comma + 1);
    }
    if (v.size() != 4 && v.size() != 6)
        throw BadRequest("bbox " + quoted(text) + " has " + std::to_string(v.size()) +
                         " numbers; it takes 4 (minlon,minlat,maxlon,maxlat) or 6 (with heights)");
    LonLatBox b;
    b.text = std::string(text);
    std::size_t const half = v.size() / 2;
    b.west = v[0];
    b.south = v[1];
    b.east = v[half];
    b.north = v[half + 1];
    if (b.south > b.north) throw BadRequest("bbox " + quoted(text) + ": its minimum latitude is above its maximum");
    if (b.south < -90 || b.north > 90) throw BadRequest("bbox " + quoted(text) + ": latitudes must lie within -90…90");
    if (b.west < -180 || b.west > 180 || b.east < -180 || b.east > 180)
        throw BadRequest("bbox " + quoted(text) + ": longitudes must lie within -180…180");
    return b;
}

ItemsQuery parse_items_query(std::vector<std::pair<std::string, std::string>> const& params)
{
    ItemsQuery q;
    for (auto const& [key, value] : params) {
        if (key == "bbox") {
            q.bbox = parse_bbox(value);
        } else if (key == "datetime") {
            q.datetime = parse_datetime(value);
        } else if (key == "limit") {
            auto const n = parse_count("limit", value);
            if (n == 0) throw BadRequest("limit must be at least 1");
            q.limit = std::min(n, kMaxLimit);
        } else if (key == "offset") {
            q.offset = parse_count("offset", value);
        } else if (key == "bbox-crs") {
            if (value != "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
                throw BadRequest("bbox-crs " + quoted(value) + " is not supported (only CRS84)");
        } else if (key != "f") {
            throw BadRequest("unknown parameter " + quoted(key) + " (items take bbox, datetime, limit, offset, f)");
        }
    }
    return q;
}

void check_no_other_params(std::vector<std::pair<std::string, std::string>> const& params)
{
    for (auto const& [key, value] : params)
        if (key != "f") throw BadRequest("unknown parameter " + quoted(key) + " (this resource takes only f)");
}

std::string encode_query_value(std::string_view value)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : value) {
        auto const u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':' || c == '/') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        }
    }
    return out;
}

} // namespace sahelmap::features
