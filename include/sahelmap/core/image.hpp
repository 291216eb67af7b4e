#pragma once
#include <cstdint>
#include <vector>

namespace sahelmap {

/// A raster in Cairo's ARGB32 layout: native-endian 32-bit pixels,
/// premultiplied alpha, rows of `stride` bytes.
struct Image {
    int width = 0;
    int height = 0;
    int stride = 0;
    std::vector<std::uint8_t> pixels;

    std::uint32_t pixel(int x, int y) const noexcept
    {
        return *reinterpret_cast<std::uint32_t const*>(pixels.data() + y * stride + x * 4);
    }
};

} // namespace sahelmap
