#pragma once
/// JPEG encoding of rendered maps (WMS GetMap FORMAT=image/jpeg): smaller
/// than PNG for large opaque basemaps, lossy, and without transparency.
#include "sahelmap/core/image.hpp"

#include <cstdint>
#include <string>

namespace sahelmap::encode {

struct JpegOptions {
    int quality = 85;                    ///< 1..100
    std::uint32_t background = 0xFFFFFF; ///< RGB under translucent pixels: JPEG has no alpha
};

/// Encodes a premultiplied ARGB32 image as a baseline JPEG (libjpeg-turbo),
/// translucent pixels composited over the background. Throws RenderError
/// when the library fails.
std::string encode_jpeg(Image const& image, JpegOptions const& options = {});

} // namespace sahelmap::encode
