#pragma once
/// Output files of the export stage: checked before any work, written
/// beside the target under a temporary name and renamed into place.
#include <filesystem>
#include <functional>
#include <string>

namespace sahelmap::exports {

/// Throws DataError naming `target` when it is a folder or its folder does
/// not exist or is not writable, so a doomed run fails before rendering.
void check_writable(std::filesystem::path const& target);

/// Runs `write` on a temporary path beside `target` (same folder, so the
/// rename is atomic) ending in `extension`, or the target's own when empty
/// (GDAL warns about an extension unusual for its driver), then renames it
/// over `target`. When `write` throws (a failure, a Ctrl-C), the
/// temporary file is removed and `target` left as it was; a filesystem
/// error becomes a DataError naming `target`.
void write_atomically(std::filesystem::path const& target,
                      std::function<void(std::filesystem::path const& temporary)> const& write,
                      std::string const& extension = {});

/// Removes a scratch file when it goes out of scope, however that happens.
class TemporaryFile {
public:
    explicit TemporaryFile(std::filesystem::path path) : m_path(std::move(path)) {}
    ~TemporaryFile()
    {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);
    }
    TemporaryFile(TemporaryFile const&) = delete;
    TemporaryFile& operator=(TemporaryFile const&) = delete;

private:
    std::filesystem::path m_path;
};

} // namespace sahelmap::exports
