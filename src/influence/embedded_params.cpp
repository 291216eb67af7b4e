#include "embedded_params.hpp"

extern "C" {
extern char const sahelmap_influence_params_start[];
extern char const sahelmap_influence_params_end[];
}

namespace sahelmap::influence {

std::string_view embedded_params_json()
{
    return {sahelmap_influence_params_start, sahelmap_influence_params_end};
}

} // namespace sahelmap::influence
