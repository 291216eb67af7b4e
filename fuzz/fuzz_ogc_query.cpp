// OGC API - Features query strings as clients send them: the whole input as
// a query string through the items parser, and as a datetime and a bbox.
#include "sahelmap/core/error.hpp"
#include "sahelmap/features/query.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace sahelmap::features;
    std::string const text(reinterpret_cast<char const*>(data), size);
    try {
        auto q = parse_items_query(parse_query(text));
        if (q.datetime) (void)q.datetime->matches({});
    } catch (sahelmap::Error const&) {
    }
    try {
        auto t = parse_datetime(text);
        (void)t.representative();
    } catch (sahelmap::Error const&) {
    }
    try {
        (void)parse_bbox(text);
    } catch (sahelmap::Error const&) {
    }
    (void)encode_query_value(text);
    return 0;
}
