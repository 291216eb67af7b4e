#pragma once
/// The size rule of the built-in icon shapes, shared by everything that
/// draws or describes them (map labels, legends, the MapLibre sprite, the
/// QGIS export), so an icon is the same size wherever it appears.

namespace sahelmap::render {

/// A built-in icon's diameter in logical px at icon-size 1; icon-size
/// scales it, as MapLibre scales a sprite image.
inline constexpr double kIconDiameterPx = 16;

/// The radius in logical px of a built-in icon drawn at `icon_size`.
constexpr double icon_radius(double icon_size) noexcept
{
    return kIconDiameterPx / 2 * icon_size;
}

} // namespace sahelmap::render
