#include "sahelmap/cli/common.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/export/output.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>

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
    exports::write_atomically(path, [&](std::filesystem::path const& tmp) {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw DataError("cannot write " + path + ": the folder does not exist or is not writable");
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!f.flush()) throw DataError("cannot write " + path + ": the disk refused the data");
    });
}

} // namespace sahelmap::cli
