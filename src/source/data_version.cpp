#include "sahelmap/source/data_version.hpp"

#include "sahelmap/core/error.hpp"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include <mutex>

namespace sahelmap::source {

namespace {

void init_gdal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler); // errors are read back and rethrown with context
    });
}

std::string gdal_error(std::string const& fallback)
{
    std::string msg = CPLGetLastErrorMsg();
    CPLErrorReset();
    return msg.empty() ? fallback : msg;
}

/// The connection as messages may show it: a password is masked.
std::string masked(std::string text)
{
    for (auto pos = text.find("password="); pos != std::string::npos; pos = text.find("password=", pos + 1)) {
        auto const start = pos + 9;
        auto end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        text.replace(start, end - start, "***");
    }
    return text;
}

} // namespace

struct DataVersionQuery::Connection {
    GDALDatasetH dataset = nullptr;
    ~Connection()
    {
        if (dataset) GDALClose(dataset);
    }
};

DataVersionQuery::DataVersionQuery(ReloadWatch watch) : m_watch(std::move(watch)) {}
DataVersionQuery::~DataVersionQuery() = default;

std::string DataVersionQuery::read()
{
    init_gdal();
    std::string const where = "reload.watch " + masked(m_watch.connection);
    CPLErrorReset();
    if (!m_connection) {
        auto connection = std::make_unique<Connection>();
        connection->dataset =
            GDALOpenEx(m_watch.connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
        if (!connection->dataset)
            throw DataError(where + ": cannot open the source: " + gdal_error("no GDAL driver can read it"));
        m_connection = std::move(connection);
    }
    OGRLayerH result = GDALDatasetExecuteSQL(m_connection->dataset, m_watch.query.c_str(), nullptr, nullptr);
    if (!result) {
        m_connection.reset(); // a lost connection is reopened on the next read
        throw DataError(where + ": the query '" + m_watch.query + "' failed: " + gdal_error("no result"));
    }
    std::string version;
    bool found = false;
    if (OGRFeatureH feature = OGR_L_GetNextFeature(result)) {
        if (OGR_F_GetFieldCount(feature) > 0 && OGR_F_IsFieldSetAndNotNull(feature, 0)) {
            version = OGR_F_GetFieldAsString(feature, 0);
            found = true;
        }
        OGR_F_Destroy(feature);
    }
    GDALDatasetReleaseResultSet(m_connection->dataset, result);
    if (!found || version.empty())
        throw DataError(where + ": the query '" + m_watch.query + "' returned no version (no row, or NULL)");
    return version;
}

std::string read_data_version(ReloadWatch const& watch)
{
    return DataVersionQuery(watch).read();
}

} // namespace sahelmap::source
