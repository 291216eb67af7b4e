#include "draw.hpp"

#include <array>
#include <cmath>
#include <string_view>

namespace sahelmap::render::detail {

namespace {
constexpr std::array<std::string_view, 10> kShapes = {"circle", "square",   "triangle", "triangle-down", "diamond",
                                                      "star",   "pentagon", "hexagon",  "cross",         "plane"};

void polygon(cairo_t* cr, double cx, double cy, double r, int sides, double rotation)
{
    for (int k = 0; k < sides; ++k) {
        double a = rotation + 2 * M_PI * k / sides;
        double x = cx + r * std::cos(a), y = cy + r * std::sin(a);
        if (k == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    cairo_close_path(cr);
}
} // namespace

std::vector<std::string> icon_names()
{
    return {kShapes.begin(), kShapes.end()};
}

bool icon_known(std::string const& name)
{
    for (auto s : kShapes)
        if (s == name) return true;
    return false;
}

void icon_path(cairo_t* cr, std::string const& name, double cx, double cy, double r)
{
    double const up = -M_PI / 2;
    if (name == "square") {
        double h = r * 0.8;
        cairo_rectangle(cr, cx - h, cy - h, 2 * h, 2 * h);
    } else if (name == "triangle") {
        polygon(cr, cx, cy + r * 0.15, r * 1.1, 3, up);
    } else if (name == "triangle-down") {
        polygon(cr, cx, cy - r * 0.15, r * 1.1, 3, -up);
    } else if (name == "diamond") {
        polygon(cr, cx, cy, r, 4, up);
    } else if (name == "pentagon") {
        polygon(cr, cx, cy, r, 5, up);
    } else if (name == "hexagon") {
        polygon(cr, cx, cy, r, 6, 0);
    } else if (name == "star") {
        for (int k = 0; k < 10; ++k) {
            double rr = k % 2 ? r * 0.45 : r * 1.1;
            double a = up + M_PI * k / 5;
            if (k == 0)
                cairo_move_to(cr, cx + rr * std::cos(a), cy + rr * std::sin(a));
            else
                cairo_line_to(cr, cx + rr * std::cos(a), cy + rr * std::sin(a));
        }
        cairo_close_path(cr);
    } else if (name == "cross") {
        double w = r * 0.35;
        cairo_move_to(cr, cx - w, cy - r);
        cairo_line_to(cr, cx + w, cy - r);
        cairo_line_to(cr, cx + w, cy - w);
        cairo_line_to(cr, cx + r, cy - w);
        cairo_line_to(cr, cx + r, cy + w);
        cairo_line_to(cr, cx + w, cy + w);
        cairo_line_to(cr, cx + w, cy + r);
        cairo_line_to(cr, cx - w, cy + r);
        cairo_line_to(cr, cx - w, cy + w);
        cairo_line_to(cr, cx - r, cy + w);
        cairo_line_to(cr, cx - r, cy - w);
        cairo_line_to(cr, cx - w, cy - w);
        cairo_close_path(cr);
    } else if (name == "plane") {
        // A simple aircraft seen from above, nose up.
        double const pts[][2] = {{0, -1},      {0.12, -0.7},  {0.12, -0.25}, {1, 0.2},  {1, 0.35},      {0.12, 0.15},
                                 {0.1, 0.65},  {0.38, 0.85},  {0.38, 0.98},  {0, 0.88}, {-0.38, 0.98},  {-0.38, 0.85},
                                 {-0.1, 0.65}, {-0.12, 0.15}, {-1, 0.35},    {-1, 0.2}, {-0.12, -0.25}, {-0.12, -0.7}};
        for (std::size_t k = 0; k < std::size(pts); ++k) {
            double x = cx + pts[k][0] * r, y = cy + pts[k][1] * r;
            if (k == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        cairo_close_path(cr);
    } else {
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx, cy, r * 0.9, 0, 2 * M_PI);
        cairo_close_path(cr);
    }
}

} // namespace sahelmap::render::detail
