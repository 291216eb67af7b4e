#pragma once
/// Owning handles for Cairo contexts and surfaces, shared by every stage
/// that draws (render, print, ogc).
#include <cairo.h>

#include <memory>

namespace sahelmap::render {

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;

} // namespace sahelmap::render
