#pragma once
/// Output files of the export stage: checked before any work, written
/// beside the target under a temporary name and renamed into place.
#include <filesystem>

namespace sahelmap::exports {

/// Throws DataError naming `target` when it is a folder or its folder does
/// not exist or is not writable, so a doomed run fails before rendering.
void check_writable(std::filesystem::path const& target);

} // namespace sahelmap::exports
