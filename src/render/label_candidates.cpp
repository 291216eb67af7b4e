#include "label_candidates.hpp"

#include <cmath>

namespace sahelmap::render::detail {

std::vector<Projected> point_label_spots(double x, double y, double first_x, double first_y, double w, double h,
                                         double clear, double step)
{
    std::vector<Projected> out;
    for (int ring = 0; ring < 5; ++ring) {
        double const d = clear + ring * step;
        // Above, below, right, left, then the corners: the text's nearest edge `d` from the point.
        double const c = d / std::sqrt(2.0);
        Projected const spots[] = {{x, y - d - h / 2},
                                   {x, y + d + h / 2},
                                   {x + d + w / 2, y},
                                   {x - d - w / 2, y},
                                   {x + c + w / 2, y - c - h / 2},
                                   {x - c - w / 2, y - c - h / 2},
                                   {x + c + w / 2, y + c + h / 2},
                                   {x - c - w / 2, y + c + h / 2}};
        for (auto const& s : spots)
            if (std::hypot(s.x - first_x, s.y - first_y) > 0.5) out.push_back(s);
    }
    return out;
}

bool inside_rings(std::vector<std::vector<Projected>> const& rings_px, double x, double y)
{
    bool in = false;
    for (auto const& ring : rings_px)
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            auto const& a = ring[i];
            auto const& b = ring[j];
            if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) in = !in;
        }
    return in;
}

} // namespace sahelmap::render::detail
