// The one place where exceptions become HTTP statuses.
#include "sahelmap/server/errors.hpp"

#include <nlohmann/json.hpp>

namespace sahelmap::server {

namespace {

struct Classified {
    http::status status;
    std::string message;
    int retry_after = 0; ///< seconds; 0: no Retry-After
};

Classified classify(std::exception_ptr const& error) noexcept
{
    try {
        if (error) std::rethrow_exception(error);
        return {http::status::internal_server_error, "internal error: no exception"};
    } catch (BadRequest const& e) {
        return {http::status::bad_request, e.what()};
    } catch (Unauthorized const& e) {
        return {http::status::unauthorized, e.what()};
    } catch (NotFound const& e) {
        return {http::status::not_found, e.what()};
    } catch (MethodNotAllowed const& e) {
        return {http::status::method_not_allowed, e.what()};
    } catch (BodyNotAllowed const& e) {
        return {http::status::payload_too_large, e.what()};
    } catch (UriTooLong const& e) {
        return {http::status::uri_too_long, e.what()};
    } catch (HeadersTooLarge const& e) {
        return {http::status::request_header_fields_too_large, e.what()};
    } catch (TooManyRequests const& e) {
        return {http::status::too_many_requests, e.what(), e.retry_after()};
    } catch (Unavailable const& e) {
        return {http::status::service_unavailable, e.what(), e.retry_after()};
    } catch (std::exception const& e) {
        // DataError, StyleError, RenderError and the rest: the server's fault.
        return {http::status::internal_server_error, std::string("internal error: ") + e.what()};
    } catch (...) {
        return {http::status::internal_server_error, "internal error: unknown exception"};
    }
}

} // namespace

http::status status_of(std::exception_ptr const& error) noexcept { return classify(error).status; }

Response error_response(std::exception_ptr const& error)
{
    auto c = classify(error);
    nlohmann::json body = {{"error", std::move(c.message)}, {"status", static_cast<unsigned>(c.status)}};
    // Messages may quote client bytes that are not UTF-8: replace, never throw.
    auto res = make_response(c.status, "application/json",
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    res.set(http::field::cache_control, "no-store");
    if (c.retry_after > 0) res.set(http::field::retry_after, std::to_string(c.retry_after));
    if (c.status == http::status::unauthorized) res.set(http::field::www_authenticate, "Bearer realm=\"sahelmap\"");
    if (c.status == http::status::method_not_allowed) res.set(http::field::allow, "GET, HEAD, OPTIONS");
    return res;
}

} // namespace sahelmap::server
