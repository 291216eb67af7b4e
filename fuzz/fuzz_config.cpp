// The config document (`serve --config FILE`): parsed and validated by
// Config::load from a file in memory-backed /dev/shm, as an operator's file
// would be. Layers and styles it names are not opened (that is the geodata
// target's and the style target's work); a valid config is only checked.
#include "sahelmap/core/error.hpp"
#include "sahelmap/source/config.hpp"

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

std::filesystem::path const& config_file()
{
    static auto const path = [] {
        auto dir = std::filesystem::path(std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp") /
                   ("sahelmap-fuzz-config-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        return dir / "config.json";
    }();
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    {
        std::ofstream out(config_file(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<char const*>(data), static_cast<std::streamsize>(size));
    }
    try {
        auto const config = sahelmap::source::Config::load(config_file());
        for (auto const& key : config.access.keys) (void)config.access.key_name(key.first);
    } catch (sahelmap::Error const&) {
    }
    return 0;
}
