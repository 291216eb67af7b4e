#include "sahelmap/vector/mvt.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::vector {

std::string encode_tile(render::MapData const&, TileId const&, Date, MvtOptions const&)
{
    throw RenderError("vector tiles are not available yet in this build");
}

} // namespace sahelmap::vector
