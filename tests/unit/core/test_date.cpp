#include "sahelmap/core/date.hpp"
#include "sahelmap/core/error.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;

TEST_CASE("core: Date parses only real calendar dates", "[core][date]")
{
    CHECK(Date::parse("1970-01-01")->days() == 0);
    CHECK(Date::parse("2024-02-29")->to_string() == "2024-02-29");
    CHECK(Date::parse("2025-06-06")->days() == 20245);
    for (char const* bad : {"2023-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250101", "2025/01/01", "", "abcd-ef-gh",
                            "2025-01-32"}) {
        INFO(bad);
        CHECK_FALSE(Date::parse(bad).has_value());
    }
}

TEST_CASE("core: Validity is half open, with open ends", "[core][date]")
{
    auto d = [](char const* s) { return *Date::parse(s); };
    Validity const v{d("2021-12-01"), d("2025-06-06")};
    CHECK_FALSE(v.contains(d("2021-11-30")));
    CHECK(v.contains(d("2021-12-01")));
    CHECK(v.contains(d("2025-06-05")));
    CHECK_FALSE(v.contains(d("2025-06-06")));
    CHECK(Validity{std::nullopt, d("2000-01-01")}.contains(d("1900-01-01")));
    CHECK(Validity{d("2000-01-01"), std::nullopt}.contains(d("2100-01-01")));
    CHECK(Validity{}.always());
}

TEST_CASE("date parameters: dates and RFC 3339 date-times, every field checked, one parser for every API",
          "[core][date]")
{
    using sahelmap::BadRequest;
    using sahelmap::parse_date_parameter;
    auto const june = *Date::parse("2025-06-01");
    CHECK(parse_date_parameter("2025-06-01") == june);
    CHECK(parse_date_parameter("2025-06-01T23:59:60Z") == june); // a leap second
    CHECK(parse_date_parameter("2025-06-01T10:00:00.250+01:00", "datetime") == june);
    auto const refused = [](std::string_view text) {
        try {
            parse_date_parameter(text, "TIME");
        } catch (BadRequest const& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused("2025-06-01T25:00:00Z") == "TIME '2025-06-01T25:00:00Z' has hour 25, outside 0-23");
    CHECK(refused("2025-02-30") == "TIME '2025-02-30' has day 30, which month 2 of that year does not have");
    CHECK(refused("2025-6-1").find("is not a date (YYYY-MM-DD) or an RFC 3339 date-time") != std::string::npos);
    CHECK(refused("2025-06-01T10:00:00").find("is not a date") != std::string::npos); // no zone
    CHECK(refused("") != "accepted");
}
