#pragma once
/// Owning handles for Cairo contexts, surfaces and paths, shared by every stage
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
struct PathDeleter {
    void operator()(cairo_path_t* p) const noexcept { cairo_path_destroy(p); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using PathPtr = std::unique_ptr<cairo_path_t, PathDeleter>;

} // namespace sahelmap::render
