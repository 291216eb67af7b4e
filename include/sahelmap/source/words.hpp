#pragma once
/// People's words for the codes of the reference tables (actors, site kinds,
/// corridor modes), one table for every page that shows them: "Africa
/// Corps", not russia_africa_corps.
#include <string_view>

namespace sahelmap::source {

/// The words for `code` as they read mid-sentence ("logistics hub";
/// proper names keep their capitals: "Africa Corps", "former Western
/// base"); empty for a code the table does not word. A legend row
/// capitalises the first letter.
std::string_view code_words(std::string_view code) noexcept;

} // namespace sahelmap::source
