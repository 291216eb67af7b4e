#pragma once
/// PNG encoding of rendered images.
#include "sahelmap/core/image.hpp"

#include <string>

namespace sahelmap::encode {

struct PngOptions {
    /// libdeflate level, 0 (stored) to 12 (smallest). Level 1 is the fastest
    /// and, on flat map colours, within a few per cent of the smallest.
    int compression_level = 1;
};

/// Encodes a premultiplied ARGB32 image. Picks the smallest exact colour
/// type: a palette when the image has at most 256 distinct colours (most
/// map tiles), RGB when it is opaque, RGBA otherwise. Lossless.
std::string encode_png(Image const& image, PngOptions const& options = {});

/// Decodes a PNG into an Image (premultiplied ARGB32); used by tests and
/// golden-image comparison. Throws RenderError on a corrupt file.
Image decode_png(std::string const& bytes);

} // namespace sahelmap::encode
