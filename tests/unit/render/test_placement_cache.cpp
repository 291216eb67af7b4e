// The tile zooms' label placements of every renderer of a service are kept
// in one cache bounded in bytes (the soak's memory grew with placements and
// their text shapes): least recently used go first, the one just stored
// stays, and a renderer's placements go with it.
#include "../../../src/render/placement_cache.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

using sahelmap::render::detail::Placement;
using sahelmap::render::detail::PlacementCache;

namespace {

/// A placement of about `mib` MiB: symbols whose icon names are long.
std::shared_ptr<Placement const> placement_of(std::size_t mib)
{
    auto p = std::make_shared<Placement>();
    p->layers.resize(1);
    for (std::size_t i = 0; i < mib; ++i) {
        sahelmap::render::detail::PlacedSymbol s;
        s.icon.assign(std::size_t{1} << 20, 'x');
        p->layers[0].push_back(std::move(s));
    }
    return p;
}

} // namespace

TEST_CASE("render: placements are kept within their byte bound least recently used first", "[render][labels]")
{
    PlacementCache cache;
    auto const owner = cache.new_owner();
    constexpr std::size_t kEach = 10; // MiB: the bound holds six
    auto const first = placement_of(kEach);
    cache.store({owner, 5, 0}, first);
    for (int epoch = 1; epoch < 4; ++epoch) cache.store({owner, 5, epoch}, placement_of(kEach));
    CHECK(cache.find({owner, 5, 0}) == first); // used again: now the most recent but for the next ones
    for (int epoch = 4; epoch < 12; ++epoch) {
        auto const stored = placement_of(kEach);
        CHECK(cache.store({owner, 5, epoch}, stored) == stored);
        CHECK(cache.bytes() <= PlacementCache::kMaxBytes);
        CHECK(cache.find({owner, 5, epoch}) == stored); // the newest is always kept
    }
    CHECK(cache.size() == PlacementCache::kMaxBytes / (kEach << 20));
    CHECK(cache.bytes() > PlacementCache::kMaxBytes - (kEach << 20));
    // Epochs 1-3 were used least recently, then 0: all gone, and 11 kept.
    for (int epoch = 0; epoch < 4; ++epoch) CHECK(cache.find({owner, 5, epoch}) == nullptr);
    CHECK(cache.find({owner, 5, 11}) != nullptr);

    SECTION("a placement larger than the bound is kept alone")
    {
        auto const huge = placement_of(PlacementCache::kMaxBytes / (1 << 20) + 1);
        CHECK(cache.store({owner, 6, 0}, huge) == huge);
        CHECK(cache.size() == 1);
    }
    SECTION("the first placement stored for a key is the one every view gets")
    {
        auto const again = placement_of(1);
        auto const kept = cache.find({owner, 5, 11});
        CHECK(cache.store({owner, 5, 11}, again) == kept);
    }
    SECTION("a renderer's placements go with it, not another's")
    {
        auto const other = cache.new_owner();
        CHECK(other != owner);
        auto const theirs = placement_of(1);
        cache.store({other, 5, 0}, theirs);
        cache.forget(owner);
        CHECK(cache.size() == 1);
        CHECK(cache.find({other, 5, 0}) == theirs);
    }
}
