#pragma once
/// Failures only HTTP has, and the one function that turns any exception
/// into a status and a JSON body `{"error": "...", "status": N}`.
#include "sahelmap/core/error.hpp"
#include "sahelmap/server/http.hpp"

#include <exception>

namespace sahelmap::server {

/// A method other than GET, HEAD or OPTIONS (405, with an Allow header).
class MethodNotAllowed : public Error {
public:
    using Error::Error;
};

/// The request carries a key that is none of the configured access keys
/// (401, with WWW-Authenticate: Bearer). A request without a key is not
/// refused: it sees the public view.
class Unauthorized : public Error {
public:
    using Error::Error;
};

/// The request target is longer than the limit (414).
class UriTooLong : public Error {
public:
    using Error::Error;
};

/// The request line and headers exceed the limit (431).
class HeadersTooLarge : public Error {
public:
    using Error::Error;
};

/// The request has a body; the service takes none (413).
class BodyNotAllowed : public Error {
public:
    using Error::Error;
};

/// The server cannot take the work now (503, with Retry-After): the queue
/// of heavy work is full.
class Unavailable : public Error {
public:
    Unavailable(std::string const& what, int retry_after) : Error(what), m_retry_after(retry_after) {}
    int retry_after() const noexcept { return m_retry_after; }

private:
    int m_retry_after;
};

/// The client has as much heavy work under way as it may (429, with Retry-After).
class TooManyRequests : public Unavailable {
public:
    using Unavailable::Unavailable;
};

/// The status an exception stands for: BadRequest 400, Unauthorized 401, NotFound 404,
/// MethodNotAllowed 405, BodyNotAllowed 413, UriTooLong 414,
/// HeadersTooLarge 431, TooManyRequests 429, Unavailable 503, anything
/// else 500.
http::status status_of(std::exception_ptr const& error) noexcept;

/// The JSON error response for an exception (status from status_of); to be
/// passed through finish() like any other response. A 500 says
/// "internal error: ..." so the log and the client see the same sentence.
Response error_response(std::exception_ptr const& error);

} // namespace sahelmap::server
