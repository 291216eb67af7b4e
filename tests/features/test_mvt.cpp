// Vector tiles: the encoder's bytes read back with an independent decoder.
#include "../../src/vector/clip.hpp"
#include "features/mvt_decode.hpp"
#include "sahelmap/geo/clip.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/vector/mvt.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace sahelmap;
using namespace sahelmap::test;
using vector::detail::TilePoint;

namespace {

MvtLayer const* find_layer(std::vector<MvtLayer> const& layers, std::string const& name)
{
    for (auto const& l : layers)
        if (l.name == name) return &l;
    return nullptr;
}

MvtFeature const* find_site(MvtLayer const& sites, std::string const& id)
{
    for (auto const& f : sites.features) {
        auto it = f.properties.find("id");
        if (it != f.properties.end() && std::get<std::string>(it->second) == id) return &f;
    }
    return nullptr;
}

TileId niamey_tile(int z)
{
    return geo::tile_at(geo::to_mercator({2.1836, 13.4815}), z);
}

} // namespace

TEST_CASE("vector: clipping keeps what lies in the box", "[vector]")
{
    BBox const box{0, 0, 10, 10};
    // A square half outside: clipped to the part inside, still one ring.
    auto ring = geo::clip_ring<vector::detail::TilePoint>({{5, 5}, {15, 5}, {15, 8}, {5, 8}, {5, 5}}, box);
    REQUIRE(ring.size() == 4);
    std::set<std::pair<double, double>> pts;
    for (auto p : ring) pts.insert({p.x, p.y});
    CHECK(pts == std::set<std::pair<double, double>>{{5, 5}, {10, 5}, {10, 8}, {5, 8}});
    // A ring around the whole box becomes the box.
    CHECK(geo::clip_ring<vector::detail::TilePoint>({{-5, -5}, {15, -5}, {15, 15}, {-5, 15}}, box).size() == 4);
    // A ring wholly outside disappears.
    CHECK(geo::clip_ring<vector::detail::TilePoint>({{20, 20}, {30, 20}, {30, 30}}, box).empty());

    // A line crossing the box twice gives two parts, cut at the edges.
    auto parts = vector::detail::clip_line({{-5, 2}, {5, 2}, {5, 20}, {8, 20}, {8, 5}, {20, 5}}, box);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].front() == TilePoint{0, 2});
    CHECK(parts[0].back() == TilePoint{5, 10});
    CHECK(parts[1].front() == TilePoint{8, 10});
    CHECK(parts[1].back() == TilePoint{10, 5});
    CHECK(vector::detail::clip_line({{20, 20}, {30, 30}}, box).empty());
}

TEST_CASE("vector: a tile has one layer per data layer with its features and attributes", "[vector]")
{
    auto const& svc = default_service();
    auto const tile = niamey_tile(6);
    auto const bytes = vector::encode_tile(svc.data(), tile, *Date::parse("2023-01-01"));
    auto const layers = decode_tile(bytes);

    std::set<std::string> names;
    for (auto const& l : layers) {
        names.insert(l.name);
        CHECK(l.version == 2);
        CHECK(l.extent == 4096);
        CHECK(!l.features.empty());
        // Keys and values are stored once per layer.
        CHECK(std::set<std::string>(l.keys.begin(), l.keys.end()).size() == l.keys.size());
        CHECK(std::set<MvtValue>(l.values.begin(), l.values.end()).size() == l.values.size());
        for (auto const& f : l.features) {
            CHECK(f.has_id);
            REQUIRE(!f.parts.empty());
            for (auto const& part : f.parts)
                for (auto [x, y] : part) {
                    CHECK(x >= -64);
                    CHECK(x <= 4096 + 64);
                    CHECK(y >= -64);
                    CHECK(y <= 4096 + 64);
                }
        }
    }
    CHECK(names == std::set<std::string>{"countries", "borders", "regions", "provinces", "sites", "corridors", "places",
                                         "influence"});

    // The French base at Niamey, with every non-null attribute, at its projected place.
    auto const* sites = find_layer(layers, "sites");
    REQUIRE(sites);
    auto const* fr = find_site(*sites, "ner_niamey_bap_fr");
    REQUIRE(fr);
    CHECK(fr->type == 1);
    CHECK(std::get<std::string>(fr->properties.at("actor")) == "france");
    CHECK(std::get<std::string>(fr->properties.at("valid_to")) == "2023-12-22");
    CHECK(std::get<std::uint64_t>(fr->properties.at("strength")) == 5);
    CHECK(fr->properties.count("valid_from") == 0); // null: MVT has no null, the key is left out
    auto const* store_sites = svc.store().find("sites");
    std::size_t const field_count = store_sites->schema.fields.size();
    CHECK(fr->properties.size() == field_count - 1);
    auto const m = geo::to_mercator({2.1836, 13.4815});
    auto const b = geo::tile_bounds(tile);
    REQUIRE(fr->parts.size() == 1);
    CHECK(std::abs(fr->parts[0][0].first - (m.x - b.minx) / b.width() * 4096) <= 1);
    CHECK(std::abs(fr->parts[0][0].second - (b.maxy - m.y) / b.height() * 4096) <= 1);

    // Polygons: exterior rings clockwise on screen (positive area), then holes; all closed.
    for (char const* name : {"countries", "regions", "influence"}) {
        auto const* layer = find_layer(layers, name);
        REQUIRE(layer);
        for (auto const& f : layer->features) {
            CHECK(f.type == 3);
            REQUIRE(!f.parts.empty());
            CHECK(ring_area2(f.parts.front()) > 0);
            for (bool c : f.closed) CHECK(c);
        }
    }
    auto const* influence = find_layer(layers, "influence");
    CHECK(influence->features.front().properties.count("dominant") == 1);
}

TEST_CASE("vector: a tile holds the features valid at its date, as the renderer decides", "[vector]")
{
    auto const& data = default_service().data();
    auto const tile = niamey_tile(8);
    auto ids_at = [&](char const* date) {
        std::set<std::string> ids;
        auto const layers = decode_tile(vector::encode_tile(data, tile, *Date::parse(date)));
        if (auto const* sites = find_layer(layers, "sites"))
            for (auto const& f : sites->features) ids.insert(std::get<std::string>(f.properties.at("id")));
        return ids;
    };
    // valid_to is exclusive, as for the raster tiles (Validity::contains).
    CHECK(ids_at("2023-12-21").count("ner_niamey_bap_fr") == 1);
    CHECK(ids_at("2023-12-22").count("ner_niamey_bap_fr") == 0);

    // Every site of the tile at a date is one the store says is valid then, and none is missing.
    Date const t = *Date::parse("2025-06-01");
    auto const got = ids_at("2025-06-01");
    std::set<std::string> want;
    auto const& store = *default_service().store().find("sites");
    auto const b = geo::tile_bounds(tile);
    int const id_field = store.schema.index_of("id");
    for (auto const& f : store.features) {
        auto const p = geo::to_mercator(std::get<MultiPoint<LonLat>>(f.geometry).points.at(0));
        if (f.validity.contains(t) && b.contains(p.x, p.y))
            want.insert(*f.values[static_cast<std::size_t>(id_field)].as_string());
    }
    CHECK(!want.empty());
    CHECK(got == want);
}

TEST_CASE("vector: ended=1 tiles also carry what ended before their date and mark it", "[vector]")
{
    auto const& data = default_service().data();
    auto const tile = niamey_tile(8);
    vector::MvtOptions options;
    options.ended = true;
    std::map<std::string, bool> marked; // id -> has sahelmap_ended
    for (auto const& layer : decode_tile(vector::encode_tile(data, tile, *Date::parse("2025-06-01"), options)))
        if (layer.name == "sites")
            for (auto const& f : layer.features)
                marked[std::get<std::string>(f.properties.at("id"))] = f.properties.count("sahelmap_ended") > 0;
    REQUIRE(marked.count("ner_niamey_bap_fr")); // the French left Niamey in December 2023
    CHECK(marked.at("ner_niamey_bap_fr"));
    REQUIRE(marked.count("ner_niamey_ab101_ac")); // Africa Corps, present
    CHECK_FALSE(marked.at("ner_niamey_ab101_ac"));
    // Not yet begun is not ended: nothing opened after the date comes along.
    auto const early = decode_tile(vector::encode_tile(data, tile, *Date::parse("2023-01-01"), options));
    for (auto const& layer : early)
        if (layer.name == "sites")
            for (auto const& f : layer.features)
                CHECK(std::get<std::string>(f.properties.at("id")) != "ner_niamey_ab101_ac");
}

TEST_CASE("vector: a tile without data has no layers, and every zoom encodes", "[vector]")
{
    auto const& data = default_service().data();
    // Mid-Pacific: nothing there.
    CHECK(vector::encode_tile(data, *TileId::make(4, 0, 7), *Date::parse("2025-01-01")).empty());
    for (int z = 0; z <= kMaxZoom; ++z) {
        auto const layers = decode_tile(vector::encode_tile(data, niamey_tile(z), *Date::parse("2025-01-01")));
        CHECK(find_layer(layers, "countries") != nullptr);
    }
}
