#pragma once
// Golden-image comparison for rendering tests. References live in
// tests/golden/<name>.png; a missing reference fails. Set SAHELMAP_BLESS=1
// (tests/bless.sh) to write references on purpose.
#include "sahelmap/core/image.hpp"

#include <string>

namespace sahelmap::test {

/// Share of pixels whose any channel differs by more than `threshold`.
double differing_fraction(Image const& a, Image const& b, int threshold = 24);

/// Catch2 REQUIREs that `actual` matches the reference within `max_fraction`
/// differing pixels; writes <name>.actual.png and <name>.diff.png into
/// golden-failures/ (under the test's working directory) when it does not.
void require_golden(Image const& actual, std::string const& name, double max_fraction = 0.001);

/// Absolute path of a file in the source tree.
std::string source_path(std::string const& relative);

/// Number of pixels differing from the colour at (0, 0) — "is anything drawn".
int pixels_unlike_corner(Image const& img);

} // namespace sahelmap::test
