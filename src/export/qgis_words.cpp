// People's words for attribute values, for the legend of the exported QGIS
// styles: "Africa Corps", not russia_africa_corps.
#include "qgis_model.hpp"

#include "sahelmap/style/introspection.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace sahelmap::exports::detail {

namespace {

/// "syrian_auxiliaries" → "Syrian Auxiliaries", "aes_external" → "AES
/// External"; values in capitals (AES, ECOWAS) stay as they are.
std::string humanize(std::string const& value)
{
    if (std::none_of(value.begin(), value.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return value;
    static constexpr std::string_view kAcronyms[] = {"aes", "ecowas", "us", "un", "eu"};
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        bool const acronym = std::find(std::begin(kAcronyms), std::end(kAcronyms), word) != std::end(kAcronyms);
        for (std::size_t i = 0; i < word.size(); ++i)
            if ((acronym || i == 0) && word[i] >= 'a' && word[i] <= 'z')
                word[i] = static_cast<char>(word[i] - 'a' + 'A');
        out += (out.empty() ? "" : " ") + word;
        word.clear();
    };
    for (char c : value) {
        if (c == '_' || c == '-' || c == ' ')
            flush();
        else
            word += c;
    }
    flush();
    return out;
}

} // namespace

CategoryWords::CategoryWords(style::Style const& style)
{
    // The text of every text-field's match on a field: field → value → words.
    for (auto const& l : style.layers()) {
        auto const* sym = std::get_if<style::SymbolLayer>(&l.props);
        if (!sym || !sym->text_field.expression()) continue;
        for (auto const& m : style::field_matches(*sym->text_field.expression())) {
            auto& words = m_words[m.field];
            for (auto const& arm : m.arms) {
                auto const text = style::literal_value(*arm.output);
                if (!text || !text->is_string()) continue;
                for (auto const& v : arm.labels)
                    if (auto const* value = v.as_string()) words.emplace(*value, *text->as_string());
            }
        }
    }
}

std::string CategoryWords::words(std::string const& field, std::string const& value) const
{
    if (auto f = m_words.find(field); f != m_words.end())
        if (auto w = f->second.find(value); w != f->second.end()) return w->second;
    return humanize(value);
}

} // namespace sahelmap::exports::detail
