// Bring-your-own data: GeoJSON or CSV bytes read by GDAL from /vsimem and
// turned into sahelmap features by read_layer, as a config layer pointing at
// such a file would be (its dates, confidence, geometry checks). The first
// byte picks the format and the layer's name, so one corpus grows both.
#include "sahelmap/core/error.hpp"
#include "sahelmap/source/gdal_reader.hpp"

#include <cpl_vsi.h>
#include <gdal.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

/// Leaves GDAL with the two drivers this target feeds. With all of them
/// registered, each of some two hundred drivers probed every input first,
/// and an execution cost about 1.5 ms (681/s); the bytes still reach
/// read_layer through GDALOpenEx as a config layer's would.
void keep_only_geojson_and_csv()
{
    static bool const done = [] {
        sahelmap::source::LayerSource none;
        none.name = "sites";
        none.connection = "/vsimem/none.geojson";
        try {
            (void)sahelmap::source::read_layer(none); // registers GDAL's drivers, then fails
        } catch (sahelmap::Error const&) {
        }
        for (int i = GDALGetDriverCount() - 1; i >= 0; --i) {
            GDALDriverH driver = GDALGetDriver(i);
            std::string_view const name = GDALGetDriverShortName(driver);
            if (name == "GeoJSON" || name == "CSV") continue;
            GDALDeregisterDriver(driver);
            GDALDestroyDriver(driver);
        }
        return true;
    }();
    (void)done;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size < 1) return 0;
    keep_only_geojson_and_csv();
    static constexpr std::array<char const*, 5> kLayers{"sites", "corridors", "regions", "countries", "events"};
    bool const csv = (data[0] & 1) != 0;
    std::string const path = csv ? "/vsimem/fuzz.csv" : "/vsimem/fuzz.geojson";
    // GDAL reads the bytes in place: the buffer is not copied nor freed by it.
    VSILFILE* file = VSIFileFromMemBuffer(path.c_str(), const_cast<GByte*>(data + 1), size - 1, FALSE);
    if (!file) return 0;
    VSIFCloseL(file);
    sahelmap::source::LayerSource src;
    src.name = kLayers[(data[0] >> 1) % kLayers.size()];
    src.connection = path;
    src.layer = "fuzz";
    try {
        (void)sahelmap::source::read_layer(src);
    } catch (sahelmap::Error const&) {
    }
    VSIUnlink(path.c_str());
    return 0;
}
