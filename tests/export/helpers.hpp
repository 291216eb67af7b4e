#pragma once
// Shared by the export tests: the binary, the real GDAL/SQLite/libxml2
// clients, and reading their answers.
#include "support/files.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace sahelmap::test {

inline std::string sahelmap_bin()
{
    return SAHELMAP_BINARY;
}

/// Single-quoted for the shell.
inline std::string shell_quote(std::string const& s)
{
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Fails the test (with the reason) when a client the test needs is missing.
inline void require_tool(char const* tool)
{
    auto r = run_command(std::string("command -v ") + tool);
    INFO(tool << " is not installed (Debian: gdal-bin, sqlite3, libxml2-utils)");
    REQUIRE(r.exit_code == 0);
}

/// A layer of a GDAL dataset as GeoJSON, through ogr2ogr (fids kept as "id").
inline nlohmann::json ogr_geojson(std::filesystem::path const& file, std::string const& layer)
{
    auto r = run_command("ogr2ogr -f GeoJSON -preserve_fid /vsistdout/ " + shell_quote(file.string()) + " " +
                         shell_quote(layer));
    INFO(r.out.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

/// One value from an SQLite file through the sqlite3 shell.
inline std::string sqlite_value(std::filesystem::path const& file, std::string const& sql)
{
    auto r = run_command("sqlite3 " + shell_quote(file.string()) + " " + shell_quote(sql));
    INFO(sql << "\n" << r.out);
    REQUIRE(r.exit_code == 0);
    while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
    return r.out;
}

/// Whether `text` is well-formed XML, per xmllint.
inline bool well_formed_xml(std::filesystem::path const& scratch, std::string const& text)
{
    write_text(scratch, text);
    return run_command("xmllint --noout " + shell_quote(scratch.string())).exit_code == 0;
}

/// Files in a folder.
inline std::size_t count_files(std::filesystem::path const& dir)
{
    std::size_t n = 0;
    for ([[maybe_unused]] auto const& e : std::filesystem::directory_iterator(dir)) ++n;
    return n;
}

/// Lines of output (a message ending in one newline is one line).
inline std::size_t count_lines(std::string const& text)
{
    std::size_t n = 0;
    for (char c : text) n += c == '\n';
    return n + (!text.empty() && text.back() != '\n');
}

/// A command line the binary must refuse: its exit code and a piece of the
/// one sentence that names what is wrong.
struct Refusal {
    std::string args;
    int exit_code;
    std::string says;
};

/// Runs `sahelmap <command> <args>` for each refusal: the exit code, one
/// line starting "sahelmap: " that names the problem, and no file left in
/// `dir` (nothing is written on bad input).
inline void check_refusals(std::string const& command, std::vector<Refusal> const& refusals,
                           std::filesystem::path const& dir)
{
    for (auto const& c : refusals) {
        INFO(command << " " << c.args);
        auto r = run_command(sahelmap_bin() + " " + command + " " + c.args);
        INFO(r.out);
        CHECK(r.exit_code == c.exit_code);
        CHECK(r.out.rfind("sahelmap: ", 0) == 0);
        CHECK(r.out.find(c.says) != std::string::npos);
        CHECK(count_lines(r.out) == 1);
        CHECK(count_files(dir) == 0);
    }
}

} // namespace sahelmap::test
