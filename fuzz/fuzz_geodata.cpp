// Bring-your-own data: GeoJSON or CSV bytes read by GDAL from /vsimem and
// turned into sahelmap features by read_layer, as a config layer pointing at
// such a file would be (its dates, confidence, geometry checks). The first
// byte picks the format and the layer's name, so one corpus grows both.
#include "sahelmap/core/error.hpp"
#include "sahelmap/source/gdal_reader.hpp"

#include <cpl_vsi.h>

#include <array>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size < 1) return 0;
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
