#include "sahelmap/print/legend.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::print {

Image legend_image(style::Style const&, std::optional<std::string> const&, double)
{
    throw RenderError("legends are not available yet in this build");
}

} // namespace sahelmap::print
