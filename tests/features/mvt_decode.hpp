#pragma once
// A small, independent MVT 2.1 reader for the tests (protozero's reader):
// layers, features, tags resolved to key/value pairs, geometry decoded from
// the command stream into tile coordinates.
#include <protozero/pbf_reader.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace sahelmap::test {

using MvtValue = std::variant<std::string, double, std::int64_t, std::uint64_t, bool>;

struct MvtFeature {
    std::uint64_t id = 0;
    bool has_id = false;
    int type = 0; ///< 1 point, 2 line, 3 polygon
    std::map<std::string, MvtValue> properties;
    /// MoveTo starts a part; ClosePath marks it closed.
    std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> parts;
    std::vector<bool> closed;
};

struct MvtLayer {
    std::uint32_t version = 1;
    std::string name;
    std::uint32_t extent = 4096;
    std::vector<std::string> keys;
    std::vector<MvtValue> values;
    std::vector<MvtFeature> features;
};

inline MvtValue decode_value(protozero::pbf_reader msg)
{
    MvtValue v;
    while (msg.next()) {
        switch (msg.tag()) {
        case 1:
            v = msg.get_string();
            break;
        case 2:
            v = static_cast<double>(msg.get_float());
            break;
        case 3:
            v = msg.get_double();
            break;
        case 4:
            v = msg.get_int64();
            break;
        case 5:
            v = msg.get_uint64();
            break;
        case 6:
            v = msg.get_sint64();
            break;
        case 7:
            v = msg.get_bool();
            break;
        default:
            msg.skip();
        }
    }
    return v;
}

inline std::vector<MvtLayer> decode_tile(std::string const& bytes)
{
    std::vector<MvtLayer> layers;
    protozero::pbf_reader tile(bytes);
    while (tile.next(3)) {
        MvtLayer layer;
        protozero::pbf_reader lr = tile.get_message();
        std::vector<std::pair<std::vector<std::uint32_t>, MvtFeature>> raw;
        while (lr.next()) {
            switch (lr.tag()) {
            case 15:
                layer.version = lr.get_uint32();
                break;
            case 1:
                layer.name = lr.get_string();
                break;
            case 5:
                layer.extent = lr.get_uint32();
                break;
            case 3:
                layer.keys.push_back(lr.get_string());
                break;
            case 4:
                layer.values.push_back(decode_value(lr.get_message()));
                break;
            case 2: {
                protozero::pbf_reader fr = lr.get_message();
                MvtFeature f;
                std::vector<std::uint32_t> tags;
                while (fr.next()) {
                    switch (fr.tag()) {
                    case 1:
                        f.id = fr.get_uint64();
                        f.has_id = true;
                        break;
                    case 2:
                        for (auto t : fr.get_packed_uint32()) tags.push_back(t);
                        break;
                    case 3:
                        f.type = fr.get_enum();
                        break;
                    case 4: {
                        std::int32_t x = 0, y = 0;
                        auto const geom = fr.get_packed_uint32();
                        auto it = geom.begin();
                        while (it != geom.end()) {
                            std::uint32_t const cmd = *it++;
                            std::uint32_t const id = cmd & 7, count = cmd >> 3;
                            if (id == 7) {
                                f.closed.back() = true;
                                continue;
                            }
                            if (id == 1) { // each MoveTo starts a part (points: one MoveTo for all)
                                f.parts.emplace_back();
                                f.closed.push_back(false);
                            }
                            for (std::uint32_t k = 0; k < count; ++k) {
                                auto const dx = *it++;
                                auto const dy = *it++;
                                x += static_cast<std::int32_t>((dx >> 1) ^ (~(dx & 1) + 1));
                                y += static_cast<std::int32_t>((dy >> 1) ^ (~(dy & 1) + 1));
                                f.parts.back().emplace_back(x, y);
                            }
                        }
                        break;
                    }
                    default:
                        fr.skip();
                    }
                }
                raw.emplace_back(std::move(tags), std::move(f));
                break;
            }
            default:
                lr.skip();
            }
        }
        for (auto& [tags, f] : raw) {
            for (std::size_t i = 0; i + 1 < tags.size(); i += 2)
                f.properties[layer.keys.at(tags[i])] = layer.values.at(tags[i + 1]);
            layer.features.push_back(std::move(f));
        }
        layers.push_back(std::move(layer));
    }
    return layers;
}

/// Twice the signed area of a ring in tile coordinates (y down): positive
/// when it turns clockwise on screen.
inline std::int64_t ring_area2(std::vector<std::pair<std::int32_t, std::int32_t>> const& r)
{
    std::int64_t a = 0;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
        a += static_cast<std::int64_t>(r[j].first) * r[i].second - static_cast<std::int64_t>(r[i].first) * r[j].second;
    return a;
}

} // namespace sahelmap::test
