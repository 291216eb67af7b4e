#include "sahelmap/source/embedded.hpp"

#include <cpl_vsi.h>

#include <mutex>

extern "C" {
extern unsigned char const sahelmap_geodata_start[];
extern unsigned char const sahelmap_geodata_end[];
extern char const sahelmap_style_default_start[];
extern char const sahelmap_style_default_end[];
extern char const sahelmap_style_overlay_start[];
extern char const sahelmap_style_overlay_end[];
extern char const sahelmap_style_print_start[];
extern char const sahelmap_style_print_end[];
extern char const sahelmap_style_influence_start[];
extern char const sahelmap_style_influence_end[];
extern char const sahelmap_style_change_start[];
extern char const sahelmap_style_change_end[];
}

namespace sahelmap::source {

std::string const& embedded_geodata_path()
{
    static std::string const path = "/vsimem/sahelmap-embedded/sahel.gpkg";
    static std::once_flag once;
    std::call_once(once, [] {
        // GDAL only reads this buffer (the GeoPackage is opened read-only),
        // so handing it the read-only section is safe; it does not take ownership.
        auto* bytes = const_cast<GByte*>(sahelmap_geodata_start);
        auto size = static_cast<vsi_l_offset>(sahelmap_geodata_end - sahelmap_geodata_start);
        VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), bytes, size, FALSE));
    });
    return path;
}

std::vector<std::string> embedded_style_ids() { return {"default", "overlay", "print", "influence"}; }

std::string_view embedded_style(std::string_view id)
{
    if (id == "default") return {sahelmap_style_default_start, sahelmap_style_default_end};
    if (id == "overlay") return {sahelmap_style_overlay_start, sahelmap_style_overlay_end};
    if (id == "print") return {sahelmap_style_print_start, sahelmap_style_print_end};
    if (id == "influence") return {sahelmap_style_influence_start, sahelmap_style_influence_end};
    return {};
}

std::string_view embedded_change_style()
{
    return {sahelmap_style_change_start, sahelmap_style_change_end};
}

} // namespace sahelmap::source
