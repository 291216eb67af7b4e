#include "sahelmap/source/data_version.hpp"

#include "gdal_common.hpp"
#include "sahelmap/core/error.hpp"

#include <gdal.h>
#include <ogr_api.h>

namespace sahelmap::source {

using detail::init_gdal;

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
    std::string const where = "reload.watch " + detail::masked_connection(m_watch.connection);
    CPLErrorReset();
    if (!m_connection) {
        auto connection = std::make_unique<Connection>();
        connection->dataset =
            GDALOpenEx(m_watch.connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
        if (!connection->dataset)
            throw DataError(where +
                            ": cannot open the source: " + detail::last_gdal_error("no GDAL driver can read it"));
        m_connection = std::move(connection);
    }
    OGRLayerH result = GDALDatasetExecuteSQL(m_connection->dataset, m_watch.query.c_str(), nullptr, nullptr);
    if (!result) {
        m_connection.reset(); // a lost connection is reopened on the next read
        throw DataError(where + ": the query '" + m_watch.query + "' failed: " + detail::last_gdal_error("no result"));
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
