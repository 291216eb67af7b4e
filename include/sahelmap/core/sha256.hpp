#pragma once
/// SHA-256 (FIPS 180-4), for access keys: the config holds a key's digest,
/// never the key, and a request's key is compared digest to digest. Neither
/// GDAL nor PROJ offers SHA-256 and nothing else the project links does, so
/// it is written here; tests check it against the FIPS vectors.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sahelmap {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view bytes) noexcept;

/// Lower-case hex of a digest.
std::string to_hex(Sha256Digest const& digest);
/// A digest from 64 hex digits (either case); nullopt for anything else.
std::optional<Sha256Digest> digest_from_hex(std::string_view hex) noexcept;

/// Whether two digests are equal, in time that does not depend on where they differ.
bool equal_in_constant_time(Sha256Digest const& a, Sha256Digest const& b) noexcept;

} // namespace sahelmap
