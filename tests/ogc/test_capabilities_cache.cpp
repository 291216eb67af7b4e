// Capabilities documents are made once per service, version and settings
// (MapService::document), and never handed to a request they do not fit.
#include "sahelmap/core/error.hpp"
#include "sahelmap/ogc/service.hpp"
#include "sahelmap/service/map_service.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace sahelmap;

TEST_CASE("service: a document is made once per key, bounded, and a failed making stores nothing", "[service]")
{
    auto const svc = service::MapService::load(source::Config::defaults());
    int made = 0;
    auto const make = [&](std::string body) {
        return [&made, body] {
            ++made;
            return service::MapService::Document{"text/plain", body};
        };
    };
    auto const first = svc->document("a", make("A"));
    CHECK(first->body == "A");
    CHECK(svc->document("a", make("other"))->body == "A"); // kept: not made again
    CHECK(made == 1);
    CHECK(svc->document("b", make("B"))->body == "B");
    CHECK(made == 2);

    CHECK_THROWS_AS(svc->document("c", []() -> service::MapService::Document { throw DataError("no"); }), DataError);
    CHECK(svc->document("c", make("C"))->body == "C"); // the failure stored nothing
    CHECK(made == 3);

    // Keys carry a client's base URL: the store keeps the last 32 used.
    for (int i = 0; i < 40; ++i) svc->document("k" + std::to_string(i), make("K"));
    made = 0;
    CHECK(svc->document("k39", make("new"))->body == "K");
    CHECK(made == 0);
    CHECK(svc->document("a", make("A again"))->body == "A again"); // dropped long ago, made anew
    CHECK(made == 1);
}

TEST_CASE("ogc: capabilities come from memory only for the same version and base URL", "[ogc]")
{
    auto const svc = service::MapService::load(source::Config::defaults());
    ogc::ServiceSettings const here{"http://127.0.0.1:8080", 4096};
    ogc::ServiceSettings const there{"https://maps.example.org/base", 4096};
    auto const wms = [&](std::string const& version, ogc::ServiceSettings const& settings) {
        auto plan = ogc::wms_request(svc, "SERVICE=WMS&REQUEST=GetCapabilities&VERSION=" + version, settings);
        REQUIRE(plan.now);
        return *plan.now;
    };
    auto const a = wms("1.3.0", here);
    auto const again = wms("1.3.0", here);
    CHECK(again.body == a.body);
    CHECK(again.content_type == "text/xml");
    CHECK(a.body.find("http://127.0.0.1:8080/wms?") != std::string::npos);

    auto const elsewhere = wms("1.3.0", there);
    CHECK(elsewhere.body.find("https://maps.example.org/base/wms?") != std::string::npos);
    CHECK(elsewhere.body.find("http://127.0.0.1:8080") == std::string::npos);

    auto const old = wms("1.1.1", here);
    CHECK(old.content_type == "application/vnd.ogc.wms_xml");
    CHECK(old.body.find("WMT_MS_Capabilities") != std::string::npos);
    CHECK(wms("1.3.0", here).body.find("WMS_Capabilities") != std::string::npos);

    auto const wmts = [&](ogc::ServiceSettings const& settings) {
        auto plan = ogc::wmts_request(svc, "/wmts/1.0.0/WMTSCapabilities.xml", {}, settings);
        REQUIRE(plan.now);
        return plan.now->body;
    };
    auto const w = wmts(here);
    CHECK(w.find("http://127.0.0.1:8080/wmts") != std::string::npos);
    CHECK(wmts(there).find("https://maps.example.org/base/wmts") != std::string::npos);
    CHECK(wmts(here) == w);
    // The KVP GetCapabilities is the same document as the RESTful one.
    auto kvp = ogc::wmts_request(svc, "/wmts", "SERVICE=WMTS&REQUEST=GetCapabilities", here);
    REQUIRE(kvp.now);
    CHECK(kvp.now->body == w);
}
