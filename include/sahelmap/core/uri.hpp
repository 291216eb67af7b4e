#pragma once
/// The one percent-decoder of the service (RFC 3986 §2.1), used by the
/// server's router for path segments and by every query-string reader
/// (router handlers, WMS/WMTS KVP, OGC API), so a value is decoded once and
/// the same way everywhere.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sahelmap {

/// Where the text comes from: in a query (form encoding) '+' is a space, in
/// a path it is a '+'.
enum class UriPart { path, query };

/// `%XX` decoded (and '+' when `part` is a query). A malformed escape
/// (`%zz`, a '%' near the end) throws BadRequest naming the text: one policy
/// for every part of the service (WMS/WMTS turn it into their exception
/// report, the rest into a JSON 400).
std::string percent_decode(std::string_view text, UriPart part);

/// A query string split on '&' into `name=value` pairs, names and values
/// decoded once (form encoding). Empty pairs are skipped; a bare `name` has
/// an empty value. The order of the request is kept.
class QueryString {
public:
    QueryString() = default;
    /// Throws BadRequest for a malformed escape.
    explicit QueryString(std::string_view raw);

    /// The first value of `name` (exact, case-sensitive), or nullopt.
    std::optional<std::string> get(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }

    std::vector<std::pair<std::string, std::string>> const& pairs() const noexcept { return m_pairs; }

private:
    std::vector<std::pair<std::string, std::string>> m_pairs;
};

/// The path of an origin-form target ("/a/b%2Fc") decoded segment by
/// segment and joined with '/'. nullopt when a segment is unsafe once
/// decoded: "." or "..", or containing '/', '\\' or a NUL byte (encoded
/// slashes would otherwise split differently after decoding), or when an
/// escape is malformed.
std::optional<std::string> decode_path(std::string_view path);

} // namespace sahelmap
