#include "sahelmap/cli/common.hpp"

#include "sahelmap/core/error.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <unistd.h>

namespace sahelmap::cli {

std::shared_ptr<service::MapService const> load_service(Args const& args)
{
    auto file = args.get("config");
    return service::MapService::load(file ? source::Config::load(*file) : source::Config::defaults());
}

int parse_int(std::string const& text, char const* what)
{
    try {
        std::size_t used = 0;
        int v = std::stoi(text, &used);
        if (used == text.size()) return v;
    } catch (std::exception const&) {
    }
    throw UsageError(std::string(what) + " '" + text + "' is not a whole number");
}

void write_output(std::string const& path, std::string const& bytes, std::ostream& out)
{
    if (path == "-") {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        return;
    }
    std::filesystem::path const target(path);
    auto const tmp = target.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw DataError("cannot write " + path + ": the folder does not exist or is not writable");
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!f.flush()) {
            std::filesystem::remove(tmp);
            throw DataError("cannot write " + path + ": the disk refused the data");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, target, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw DataError("cannot write " + path + ": " + ec.message());
    }
}

} // namespace sahelmap::cli
