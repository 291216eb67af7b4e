#pragma once
/// Typed errors. Every failure a user can cause is one of these; the server
/// and the CLI map them to a status or exit code in one place each.
#include <stdexcept>
#include <string>
#include <vector>

namespace sahelmap {

/// Base of every sahelmap error; what() is one sentence naming the culprit.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The client asked for something malformed (bad coordinate, parameter, date).
class BadRequest : public Error {
public:
    using Error::Error;
};

/// The client asked for something that does not exist (style, tile, layer).
class NotFound : public Error {
public:
    using Error::Error;
};

/// A data source or config file could not be read or is inconsistent.
class DataError : public Error {
public:
    using Error::Error;
};

/// A style document is invalid; carries every problem found, each prefixed
/// with its JSON path (`layers[3].paint.line-width: expected number, got string`).
class StyleError : public Error {
public:
    StyleError(std::string const& style_name, std::vector<std::string> problems);
    std::vector<std::string> const& problems() const noexcept { return m_problems; }

private:
    std::vector<std::string> m_problems;
};

/// Drawing or encoding failed (Cairo, Pango, PNG); not the client's fault.
class RenderError : public Error {
public:
    using Error::Error;
};

} // namespace sahelmap
