#pragma once
/// PNG encoding of rendered images.
#include "sahelmap/core/image.hpp"

#include <string>

namespace sahelmap::encode {

struct PngOptions {
    /// igzip (ISA-L) level: 0 (fastest, largest) to 3. Level 1 is within a
    /// few per cent of zlib's best on flat map colours, at a fraction of the time.
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
