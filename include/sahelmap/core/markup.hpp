#pragma once
/// Escaping for XML and HTML text and attribute values, shared by the OGC
/// capabilities, the OGC API's HTML pages and the QGIS styles.
#include <string>
#include <string_view>

namespace sahelmap {

/// Escapes &, <, >, " and '; writes tab, newline and return as character
/// references (so attribute values keep them); drops the other control
/// characters, which XML 1.0 forbids.
std::string xml_escape(std::string_view text);

} // namespace sahelmap
