#pragma once
/// Internal to the style stage: what the walk over a style document
/// (style.cpp) shares with the reading of each layer's `layout` and `paint`
/// objects (layer_properties.cpp). Only style .cpp files include this.
#include "expression_parser.hpp"
#include "sahelmap/style/style.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::style::detail {

/// What the walk accumulates besides the layers themselves.
struct Context {
    std::vector<std::string> errors;
    std::vector<std::string> fonts;

    void error(std::string const& path, std::string const& message) { errors.push_back(path + ": " + message); }
    void add_font(std::string const& font)
    {
        if (std::find(fonts.begin(), fonts.end(), font) == fonts.end()) fonts.push_back(font);
    }
};

/// The JSON type of a node, as messages name it.
std::string got(Json const& node);

/// A JSON value for a message: itself when short and flat, else its type.
std::string brief(Json const& node);

enum class Section { layout, paint };

constexpr std::string_view to_string(Section s) noexcept { return s == Section::layout ? "layout" : "paint"; }

/// Applies every key of one `layout` or `paint` object to the properties of
/// `layer`, whose `props` already hold the alternative for `type`.
void apply_section(StyleLayer& layer, LayerType type, Json const& object, Section section, std::string const& path,
                   Context& ctx);

} // namespace sahelmap::style::detail
