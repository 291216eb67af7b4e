#include "sahelmap/core/date.hpp"

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
