// Layering probe (tests/layering/sources.cmake): compiled as the geo stage sees
// it; render is above geo, so this include must not be found.
#include "sahelmap/render/renderer.hpp"
