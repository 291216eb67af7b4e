// People's words for attribute values, for the legend of the exported QGIS
// styles: "Africa Corps", not russia_africa_corps.
#include "qgis_model.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace sahelmap::exports::detail {

namespace {

using nlohmann::json;

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

/// The string outputs of every ["match", ["get", F], value, "words", ...]
/// inside `e`: field → value → words.
void collect_words(json const& e, std::map<std::string, std::map<std::string, std::string>>& out)
{
    if (!e.is_array() || e.empty()) return;
    if (e[0] == "match" && e.size() >= 5 && e[1].is_array() && e[1].size() == 2 && e[1][0] == "get" &&
        e[1][1].is_string()) {
        auto& words = out[e[1][1].get<std::string>()];
        for (std::size_t i = 2; i + 1 < e.size(); i += 2) {
            if (!e[i + 1].is_string()) continue;
            auto const& text = e[i + 1].get<std::string>();
            auto add = [&](json const& v) {
                if (v.is_string()) words.emplace(v.get<std::string>(), text);
            };
            if (e[i].is_array())
                for (auto const& v : e[i]) add(v);
            else
                add(e[i]);
        }
    }
    for (auto const& item : e) collect_words(item, out);
}

} // namespace

CategoryWords::CategoryWords(json const& style)
{
    if (!style.is_object() || !style.contains("layers") || !style["layers"].is_array()) return;
    for (auto const& l : style["layers"])
        if (l.is_object() && l.contains("layout") && l["layout"].is_object() && l["layout"].contains("text-field"))
            collect_words(l["layout"]["text-field"], m_words);
}

std::string CategoryWords::words(std::string const& field, std::string const& value) const
{
    if (auto f = m_words.find(field); f != m_words.end())
        if (auto w = f->second.find(value); w != f->second.end()) return w->second;
    return humanize(value);
}

} // namespace sahelmap::exports::detail
