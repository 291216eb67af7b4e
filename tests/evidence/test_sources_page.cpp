// A printed map an analyst can cite (issue 13): the PDF lists every site and
// corridor the map draws, once, with its dates, confidence and sources,
// numbered as the small reference numbers beside the sites on the map.
#include "sahelmap/print/print.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

std::string quoted(std::filesystem::path const& p)
{
    return "'" + p.string() + "'";
}

/// Text without any white space: pdftotext breaks lines where the page
/// wraps them (inside names and URLs), so compare with the spaces gone.
std::string squeezed(std::string const& s)
{
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

std::size_t count_of(std::string const& haystack, std::string const& needle)
{
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

std::string field(FeatureLayer const& layer, Feature const& f, char const* name)
{
    int const i = layer.schema.index_of(name);
    return i < 0 || f.values[static_cast<std::size_t>(i)].is_null() ? std::string()
                                                                    : f.values[static_cast<std::size_t>(i)].to_string();
}

} // namespace

TEST_CASE("print: the PDF lists every site and corridor it draws, once, with dates, confidence and source",
          "[print][evidence]")
{
    INFO("needs poppler-utils (pdfinfo, pdftotext)");
    REQUIRE(run_command("command -v pdftotext && command -v pdfinfo").exit_code == 0);
    auto const& svc = default_service();
    ScratchDir dir("print-sources-page");
    Date const date = *Date::parse("2025-11-01");
    print::PrintRequest r;
    r.area = "mali";
    r.time = date;
    r.dpi = 72;
    r.printed_at = "2026-01-01 00:00 UTC";
    write_text(dir / "mali.pdf", print::render_print(svc, r));

    auto const info = run_command("pdfinfo " + quoted(dir / "mali.pdf"));
    REQUIRE(info.exit_code == 0);
    CHECK(info.out.find("Pages:           1\n") == std::string::npos);
    // The list's pages in reading order: each of the three columns of an A4
    // landscape page cropped on its own (pdftotext interleaves them otherwise).
    auto const pages_at = info.out.find("Pages:");
    REQUIRE(pages_at != std::string::npos);
    int const pages = std::stoi(info.out.substr(pages_at + 6));
    REQUIRE(pages >= 2);
    std::string text;
    double const column_w = (841.89 - 2 * 28.35 - 2 * 18) / 3;
    for (int page = 2; page <= pages; ++page) {
        auto const top = run_command("pdftotext -f " + std::to_string(page) + " -l " + std::to_string(page) +
                                     " -x 0 -y 0 -W 842 -H 70 " + quoted(dir / "mali.pdf") + " -");
        text += squeezed(top.out);
        for (int column = 0; column < 3; ++column) {
            int const x = static_cast<int>(28.35 + column * (column_w + 18)) - 2;
            auto const part =
                run_command("pdftotext -f " + std::to_string(page) + " -l " + std::to_string(page) + " -x " +
                            std::to_string(x) + " -y 70 -W " + std::to_string(static_cast<int>(column_w) + 6) +
                            " -H 530 " + quoted(dir / "mali.pdf") + " -");
            REQUIRE(part.exit_code == 0);
            text += squeezed(part.out);
        }
    }
    CHECK(text.find(squeezed("Features on this map: Mali")) != std::string::npos);
    CHECK(text.find(squeezed("Situation on 1 November 2025")) != std::string::npos);

    // Every site active that day at a place well inside Mali's frame: listed
    // once (its name, then its actor in words), with its start date, its
    // confidence and the URL of its first source.
    std::map<std::string, std::string> const actors = {
        {"russia_africa_corps", "Africa Corps"}, {"wagner", "Wagner"},   {"france", "France"},
        {"united_states", "United States"},      {"germany", "Germany"}, {"italy", "Italy"}};
    auto const* sites = svc.store().find("sites");
    REQUIRE(sites);
    auto const* mali = svc.store().find("countries");
    REQUIRE(mali);
    BBox inner;
    for (auto const& c : mali->features)
        if (field(*mali, c, "iso3") == "MLI") inner = c.bbox;
    REQUIRE_FALSE(inner.empty());
    int checked = 0;
    std::vector<std::string> digit_runs;
    for (auto const& f : sites->features) {
        if (!f.validity.contains(date)) continue;
        auto const& p = f.bbox;
        if (p.minx < inner.minx || p.maxx > inner.maxx || p.miny < inner.miny || p.maxy > inner.maxy) continue;
        auto const name = field(*sites, f, "name");
        auto const actor = actors.count(field(*sites, f, "actor")) ? actors.at(field(*sites, f, "actor")) : "";
        INFO(name);
        auto const entry = squeezed(name + actor + "\u00b7");
        REQUIRE(count_of(text, entry) == 1);
        // Its number comes first, and the map shows it beside the site.
        auto at = text.find(entry);
        auto digits = at;
        while (digits > 0 && std::isdigit(static_cast<unsigned char>(text[digits - 1]))) --digits;
        REQUIRE(digits < at);
        // The squeezed text joins the number to the line before, which may end in a URL's digits:
        // keep the number's own digits, at most three (the list is far shorter than 1 000 sites).
        digit_runs.push_back(text.substr(digits, at - digits));
        CHECK(text.find(squeezed("confidence " + field(*sites, f, "confidence"))) != std::string::npos);
        auto const source = field(*sites, f, "source");
        auto const url_at = source.find("http");
        if (url_at != std::string::npos) {
            auto const url = source.substr(url_at, source.find_first_of(" );", url_at) - url_at);
            // pdftotext joins a URL wrapped after a '-' without it: compare without hyphens.
            auto unhyphenated = [](std::string t) {
                std::erase(t, '-');
                return t;
            };
            CHECK(unhyphenated(text).find(unhyphenated(url)) != std::string::npos);
        }
        ++checked;
    }
    CHECK(checked >= 5); // Bamako, Gao, Timbuktu, Kidal, Menaka, Sevare, ...

    // Corridors follow, as C-numbers; a withdrawn Western base drawn as a
    // ghost says so.
    CHECK(text.find("Corridors") != std::string::npos);
    CHECK(text.find("C1") != std::string::npos);
    CHECK(text.find(squeezed("ended before this date; drawn as a grey ghost")) != std::string::npos);

    // The map's frame carries those numbers (sites at one place share a
    // label, "2, 3"): every number listed is a word of the map's text.
    auto const map_page =
        run_command("pdftotext -f 1 -l 1 -x 40 -y 70 -W 425 -H 450 " + quoted(dir / "mali.pdf") + " -");
    REQUIRE(map_page.exit_code == 0);
    std::set<std::string> words;
    std::string word;
    for (char c : map_page.out + " ") {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            word += c;
        } else {
            if (!word.empty() && c != '\xC2') words.insert(word); // not the degrees of a graticule label
            word.clear();
        }
    }
    for (auto const& run : digit_runs) {
        // The reference number is the run's last one to three digits; the map must show it.
        bool found = false;
        for (std::size_t len = 1; len <= 3 && len <= run.size() && !found; ++len)
            found = words.count(run.substr(run.size() - len)) == 1;
        INFO("reference number at the end of " << run);
        CHECK(found);
    }
}

TEST_CASE("print: the legend speaks words, shows confidence, status and strength, and repeats no row",
          "[print][evidence]")
{
    REQUIRE(run_command("command -v pdftotext").exit_code == 0);
    ScratchDir dir("print-legend-words");
    print::PrintRequest r;
    r.area = "mali";
    r.time = *Date::parse("2025-11-01");
    r.dpi = 72;
    r.printed_at = "2026-01-01 00:00 UTC";
    write_text(dir / "mali.pdf", print::render_print(default_service(), r));
    auto const page = run_command("pdftotext -f 1 -l 1 " + quoted(dir / "mali.pdf") + " -");
    REQUIRE(page.exit_code == 0);
    auto const& text = page.out;
    for (auto const* want :
         {"Confidence", "high", "medium", "low", "Status", "active", "planned", "Strength", "Africa Corps",
          "Syrian auxiliaries", "United States", "Logistics hub", "Air link (schematic)"}) {
        INFO(want);
        CHECK(text.find(want) != std::string::npos);
    }
    for (auto const* code : {"Russia Africa Corps", "russia_africa_corps", "Syrian Auxiliaries", "Places Towns"}) {
        INFO(code);
        CHECK(text.find(code) == std::string::npos);
    }
    // One row for the withdrawn Western bases, not a second one under the kinds.
    CHECK(count_of(text, "Former Western base") == 1);
}
