#pragma once
// Internal to src/influence: the embedded default parameters.
#include <string_view>

namespace sahelmap::influence {

/// The text of config/influence.json as linked into the binary.
std::string_view embedded_params_json();

} // namespace sahelmap::influence
