#pragma once
/// The version of shared data (config "reload"): nodes reading one database
/// ask it which version of the data it holds, and reload when it changed.
#include "sahelmap/source/config.hpp"

#include <memory>
#include <string>

namespace sahelmap::source {

/// Runs a ReloadWatch's query through GDAL/OGR and returns the first column
/// of the first row as text. Keeps its connection open between reads (a
/// poll every few hundred ms should not open a database session each
/// time) and reopens it after an error. One per thread: not thread-safe.
class DataVersionQuery {
public:
    explicit DataVersionQuery(ReloadWatch watch);
    ~DataVersionQuery();
    DataVersionQuery(DataVersionQuery const&) = delete;
    DataVersionQuery& operator=(DataVersionQuery const&) = delete;

    /// The data version now. Throws DataError naming the connection (its
    /// password masked) and the query when either fails or no row comes back.
    std::string read();
    ReloadWatch const& watch() const noexcept { return m_watch; }

private:
    struct Connection;
    ReloadWatch m_watch;
    std::unique_ptr<Connection> m_connection;
};

/// One read on a connection of its own (what a load does before reading
/// the layers, so the version it records is never newer than its data).
std::string read_data_version(ReloadWatch const& watch);

} // namespace sahelmap::source
