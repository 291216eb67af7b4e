#include "gdal_common.hpp"

#include <cpl_error.h>
#include <gdal.h>

#include <mutex>

namespace sahelmap::source::detail {

void init_gdal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
    });
}

std::string last_gdal_error(std::string const& fallback)
{
    std::string msg = CPLGetLastErrorMsg();
    CPLErrorReset();
    return msg.empty() ? fallback : msg;
}

std::string masked_connection(std::string connection)
{
    for (auto pos = connection.find("password="); pos != std::string::npos;
         pos = connection.find("password=", pos + 1)) {
        auto const start = pos + 9;
        auto end = connection.find(' ', start);
        if (end == std::string::npos) end = connection.size();
        connection.replace(start, end - start, "***");
    }
    return connection;
}

} // namespace sahelmap::source::detail
