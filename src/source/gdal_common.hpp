#pragma once
// What the source stage's GDAL callers share: one-time driver registration,
// GDAL's last error as text, and connection strings fit for messages.
#include <string>

namespace sahelmap::source::detail {

/// Registers GDAL's drivers and silences its error printing (errors are
/// read back and rethrown with context), once per process.
void init_gdal();
/// GDAL's last error message, cleared; `fallback` when there is none.
std::string last_gdal_error(std::string const& fallback);
/// A connection string as messages and listings may show it: a password
/// in a PostgreSQL connection string is masked.
std::string masked_connection(std::string connection);

} // namespace sahelmap::source::detail
