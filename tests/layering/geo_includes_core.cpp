// Layering probe (tests/layering/sources.cmake): compiled as the geo stage sees
// it; geo links core, so this include must be found.
#include "sahelmap/core/tile.hpp"
