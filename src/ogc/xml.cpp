#include "sahelmap/ogc/xml.hpp"

namespace sahelmap::ogc {

XmlWriter::XmlWriter()
{
    m_out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

void XmlWriter::end_start_tag()
{
    if (m_in_start_tag) {
        m_out += '>';
        m_in_start_tag = false;
    }
}

XmlWriter& XmlWriter::open(std::string_view name)
{
    end_start_tag();
    if (!m_stack.empty()) m_out += '\n';
    m_out.append(2 * m_stack.size(), ' ');
    m_out += '<';
    m_out += name;
    m_stack.emplace_back(name);
    m_in_start_tag = true;
    m_has_children = false;
    return *this;
}

XmlWriter& XmlWriter::attr(std::string_view name, std::string_view value)
{
    m_out += ' ';
    m_out += name;
    m_out += "=\"";
    m_out += xml_escape(value);
    m_out += '"';
    return *this;
}

XmlWriter& XmlWriter::close()
{
    if (m_stack.empty()) return *this;
    if (m_in_start_tag) {
        m_out += "/>";
        m_in_start_tag = false;
    } else {
        if (m_has_children) {
            m_out += '\n';
            m_out.append(2 * (m_stack.size() - 1), ' ');
        }
        m_out += "</";
        m_out += m_stack.back();
        m_out += '>';
    }
    m_stack.pop_back();
    m_has_children = true; // the parent now has a child element
    return *this;
}

XmlWriter& XmlWriter::leaf(std::string_view name, std::string_view text)
{
    open(name);
    end_start_tag();
    m_out += xml_escape(text);
    m_has_children = false;
    return close();
}

XmlWriter& XmlWriter::raw(std::string_view text)
{
    end_start_tag();
    m_out += text;
    return *this;
}

std::string XmlWriter::finish()
{
    while (!m_stack.empty()) close();
    m_out += '\n';
    return std::move(m_out);
}

} // namespace sahelmap::ogc
