#pragma once
#include <cstdint>

namespace sahelmap {

/// An sRGB colour with straight (not premultiplied) alpha, each in [0, 1].
struct Color {
    float r = 0;
    float g = 0;
    float b = 0;
    float a = 0;

    friend bool operator==(Color const&, Color const&) = default;
    bool transparent() const noexcept { return a <= 0.0f; }
};

} // namespace sahelmap
