#pragma once
/// A small XML writer: elements, attributes and text, escaped, indented.
#include "sahelmap/core/markup.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::ogc {

using sahelmap::xml_escape; // core/markup.hpp

class XmlWriter {
public:
    /// Starts the document with its XML declaration (UTF-8).
    XmlWriter();

    /// Opens an element; attributes follow with attr() until the next call.
    XmlWriter& open(std::string_view name);
    XmlWriter& attr(std::string_view name, std::string_view value);
    /// Closes the innermost open element.
    XmlWriter& close();
    /// <name>text</name>
    XmlWriter& leaf(std::string_view name, std::string_view text);
    /// An element with attributes and no content: open + attrs + close.
    XmlWriter& empty(std::string_view name) { return open(name); }
    /// Raw text (a DOCTYPE line); written as is.
    XmlWriter& raw(std::string_view text);

    /// Closes every open element and returns the document.
    std::string finish();

private:
    void end_start_tag();
    std::string m_out;
    std::vector<std::string> m_stack;
    bool m_in_start_tag = false;
    bool m_has_children = false;
};

} // namespace sahelmap::ogc
