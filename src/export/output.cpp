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

void write_atomically(std::filesystem::path const& target,
                      std::function<void(std::filesystem::path const& temporary)> const& write,
                      std::string const& extension)
{
    auto const parent = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    auto const tmp = parent / (target.stem().string() + ".tmp-" + std::to_string(::getpid()) +
                               (extension.empty() ? target.extension().string() : extension));
    auto const discard = [&] {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
    };
    try {
        std::filesystem::remove(tmp);
        write(tmp);
        std::filesystem::rename(tmp, target);
    } catch (std::filesystem::filesystem_error const& e) {
        discard();
        throw DataError("cannot write " + target.string() + ": " + e.code().message());
    } catch (...) {
        discard();
        throw;
    }
}

} // namespace sahelmap::exports
