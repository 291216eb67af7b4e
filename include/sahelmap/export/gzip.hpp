#pragma once
/// gzip (RFC 1952) compression for MBTiles vector tiles, which the MBTiles
/// 1.3 spec stores gzip-compressed.
#include <string>
#include <string_view>

namespace sahelmap::exports {

/// The gzip member holding `bytes`; throws RenderError if zlib fails.
std::string gzip_compress(std::string_view bytes);

/// The bytes inside a gzip member; throws DataError when `bytes` is not gzip.
std::string gzip_decompress(std::string_view bytes);

} // namespace sahelmap::exports
