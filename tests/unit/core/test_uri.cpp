// The one percent-decoder and the decoded query-string type.
#include "sahelmap/core/error.hpp"
#include "sahelmap/core/uri.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;

TEST_CASE("uri: percent_decode decodes once and treats '+' by part", "[core][uri]")
{
    CHECK(percent_decode("%73ites", UriPart::path) == "sites");
    CHECK(percent_decode("a+b%20c", UriPart::query) == "a b c");
    CHECK(percent_decode("a+b%20c", UriPart::path) == "a+b c");
    CHECK(percent_decode("%2573", UriPart::query) == "%73"); // once, not twice
    CHECK(percent_decode("%C3%A9", UriPart::query) == "\xC3\xA9");
    for (char const* bad : {"%", "%4", "%zz", "a%g1", "%%41"})
        CHECK_THROWS_AS(percent_decode(bad, UriPart::query), BadRequest);
}

TEST_CASE("uri: QueryString keeps order and the first of a repeated name", "[core][uri]")
{
    QueryString const q("b=2&a=%31&&bare&a=3&c=x+y&e=");
    REQUIRE(q.pairs().size() == 6);
    CHECK(q.pairs()[0] == std::pair<std::string, std::string>("b", "2"));
    CHECK(q.get("a") == "1");
    CHECK(q.get("bare") == "");
    CHECK(q.get("c") == "x y");
    CHECK(q.get("e") == "");
    CHECK_FALSE(q.get("A").has_value());
    CHECK_THROWS_AS(QueryString("a=%zz"), BadRequest);
    CHECK(QueryString("").pairs().empty());
}

TEST_CASE("uri: decode_path refuses what would escape once decoded", "[core][uri]")
{
    CHECK(decode_path("/ogc/collections/%73ites") == "/ogc/collections/sites");
    CHECK(decode_path("/") == "/");
    CHECK(decode_path("/a%20b/c+d") == "/a b/c+d");
    for (char const* bad : {"/styles/../x", "/styles/%2e%2e/x", "/styles/%2E%2e", "/a/./b", "/a/%2e/b", "/a%2Fb",
                            "/a%5Cb", "/a%00b", "/a%zz"}) {
        INFO(bad);
        CHECK_FALSE(decode_path(bad).has_value());
    }
    CHECK(decode_path("/a/..b/c") == "/a/..b/c"); // a name that starts with dots is a name
}
