#include "sahelmap/export/output.hpp"

#include "sahelmap/core/error.hpp"

#include <unistd.h>

namespace sahelmap::exports {

void check_writable(std::filesystem::path const& target)
{
    std::error_code ec;
    if (std::filesystem::is_directory(target, ec))
        throw DataError("cannot write " + target.string() + ": it is a folder");
    auto const parent = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(parent, ec))
        throw DataError("cannot write " + target.string() + ": the folder " + parent.string() + " does not exist");
    if (::access(parent.c_str(), W_OK) != 0)
        throw DataError("cannot write " + target.string() + ": the folder " + parent.string() + " is not writable");
}

} // namespace sahelmap::exports
