#pragma once
/// gzip (RFC 1952): HTTP answers (Content-Encoding: gzip) and the vector
/// tiles of MBTiles files, which the MBTiles 1.3 spec stores gzipped.
#include <string>
#include <string_view>

namespace sahelmap::encode {

/// The gzip member holding `bytes`, at zlib `level` (1 fastest … 9 smallest);
/// throws RenderError if zlib fails.
std::string gzip(std::string_view bytes, int level = 6);
/// The bytes inside a gzip member; throws DataError when `bytes` is not one.
std::string gunzip(std::string_view bytes);

} // namespace sahelmap::encode
