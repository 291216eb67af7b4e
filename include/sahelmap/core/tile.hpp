#pragma once
/// XYZ tile addresses. Validated at the boundary, then trusted.
#include <cstdint>
#include <optional>
#include <string_view>

namespace sahelmap {

inline constexpr int kMaxZoom = 20;

/// A valid XYZ tile: 0 ≤ z ≤ 20 and 0 ≤ x, y < 2^z (y counted from the north).
class TileId {
public:
    /// nullopt when the address lies outside the pyramid.
    static std::optional<TileId> make(std::int64_t z, std::int64_t x, std::int64_t y) noexcept;
    /// Parses decimal text; throws BadRequest for non-numbers, NotFound outside the pyramid.
    static TileId parse(std::string_view z, std::string_view x, std::string_view y);

    int z() const noexcept { return m_z; }
    std::uint32_t x() const noexcept { return m_x; }
    std::uint32_t y() const noexcept { return m_y; }
    friend bool operator==(TileId const&, TileId const&) = default;

private:
    TileId(int z, std::uint32_t x, std::uint32_t y) : m_z(z), m_x(x), m_y(y) {}
    int m_z;
    std::uint32_t m_x;
    std::uint32_t m_y;
};

} // namespace sahelmap
