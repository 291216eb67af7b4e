#pragma once
/// Fonts come from the system (Debian font packages, through fontconfig).
#include <string>
#include <vector>

namespace sahelmap::render {

/// True when fontconfig knows the family named by a MapLibre font name
/// such as "DejaVu Sans Bold" (family plus optional style words).
bool font_installed(std::string const& font_name);

/// Throws RenderError naming the first font of `fonts` that is not
/// installed and the style that wants it, so labels never vanish silently.
void check_fonts(std::vector<std::string> const& fonts, std::string const& style_id);

} // namespace sahelmap::render
