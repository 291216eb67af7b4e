#include "sahelmap/encode/gzip.hpp"

#include "sahelmap/core/error.hpp"

#include <zlib.h>

namespace sahelmap::encode {

std::string gzip(std::string_view bytes, int level)
{
    z_stream zs{};
    // windowBits 15 + 16: zlib writes the gzip header and trailer.
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw RenderError("gzip: zlib could not start compressing");
    std::string out(deflateBound(&zs, static_cast<uLong>(bytes.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int const rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw RenderError("gzip: zlib could not compress");
    return out;
}

std::string gunzip(std::string_view bytes)
{
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) throw DataError("gzip: zlib could not start decompressing");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    std::string out;
    char buf[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) throw DataError("gzip: the bytes are not a complete gzip member");
    return out;
}

} // namespace sahelmap::encode
