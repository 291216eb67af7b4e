#pragma once
// What a printed map shows, listed so an analyst can cite it (issue 13):
// every site and corridor the map draws, with its dates, confidence and
// sources, numbered; the sites carry their number on the map. The list
// follows the map on pages of its own (PDF).
#include "layout.hpp"

#include <cairo.h>

#include <optional>
#include <string>
#include <vector>

namespace sahelmap::print::detail {

/// One feature the map draws.
struct ListedFeature {
    int number = 0;
    std::string layer; ///< "sites" or "corridors"
    std::string name, actor, kind, status, confidence;
    std::string from, to;             ///< long dates; empty when not reported
    std::vector<std::string> sources; ///< the items of its `source` field
    bool ended = false;               ///< drawn as a ghost: its validity ended before the map's date
    std::optional<Projected> at;      ///< a site's place on the page, in points
};

/// The sites and then the corridors the layout's style draws inside the
/// map frame at the plan's date and zoom (the renderer's own test, so the
/// list and the map agree), each sorted by name and numbered from 1.
std::vector<ListedFeature> listed_features(Layout const& layout);

/// A small reference number beside a site on the map ("3", or "3, 4" for
/// sites at one place), in its box on the page (points).
struct ReferenceNumber {
    std::string text;
    BBox box;
};

/// Where the reference numbers go: beside their sites, inside the map
/// frame, clear of each other and of `keep_clear` (the map's own icons and
/// names) where they can be, else covering the least weight of them;
/// `measure` measures text.
std::vector<ReferenceNumber> place_reference_numbers(cairo_t* measure, PrintPlan const& plan,
                                                     std::vector<ListedFeature> const& features,
                                                     std::vector<ClearBox> const& keep_clear);

/// Draws them, each on a white box, clipped to the map frame.
void draw_reference_numbers(cairo_t* cr, PrintPlan const& plan, std::vector<ReferenceNumber> const& numbers);

/// The list on pages after the map's, the same size: calls
/// cairo_show_page() before each. URLs are links in a PDF.
void draw_feature_pages(cairo_t* cr, PrintPlan const& plan, std::vector<ListedFeature> const& features);

} // namespace sahelmap::print::detail
