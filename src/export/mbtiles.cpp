#include "sahelmap/export/mbtiles.hpp"

#include "sahelmap/core/error.hpp"

#include <sqlite3.h>
#include <zlib.h>

#include <cstdio>
#include <functional>

namespace sahelmap::exports {

/// A content key: two independent hashes and the length, so distinct
/// tiles never share a row in practice (a collision needs both 64- and
/// 32-bit hashes and the size to agree).
std::string tile_content_key(std::string_view bytes)
{
    auto const h = std::hash<std::string_view>{}(bytes);
    auto const crc = crc32(0L, reinterpret_cast<Bytef const*>(bytes.data()), static_cast<uInt>(bytes.size()));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%016zx%08lx-%zu", static_cast<std::size_t>(h), static_cast<unsigned long>(crc),
                  bytes.size());
    return buf;
}

namespace {

struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

} // namespace

struct MbtilesWriter::Statements {
    Stmt image;
    Stmt map;
};

MbtilesWriter::MbtilesWriter(std::filesystem::path path) : m_path(std::move(path))
{
    if (sqlite3_open_v2(m_path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        std::string const msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw DataError("cannot create " + m_path.string() + ": " + msg);
    }
    // The file is renamed into place only once complete, so the journal
    // buys nothing: a crash leaves a temporary file that is never used.
    exec("PRAGMA journal_mode=OFF");
    exec("PRAGMA synchronous=OFF");
    exec("PRAGMA application_id=0x4d504258"); // "MPBX", as MBTiles 1.3 suggests
    exec("CREATE TABLE metadata (name TEXT, value TEXT)");
    exec("CREATE TABLE images (tile_id TEXT PRIMARY KEY, tile_data BLOB)");
    exec("CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT)");
    exec("CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column, "
         "map.tile_row AS tile_row, images.tile_data AS tile_data FROM map JOIN images ON images.tile_id = "
         "map.tile_id");
    m_st = std::make_unique<Statements>();
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(m_db, "INSERT INTO images (tile_id, tile_data) VALUES (?1, ?2)", -1, &s, nullptr) !=
        SQLITE_OK)
        fail("preparing the images insert");
    m_st->image.reset(s);
    if (sqlite3_prepare_v2(m_db, "INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?1, ?2, ?3, ?4)",
                           -1, &s, nullptr) != SQLITE_OK)
        fail("preparing the map insert");
    m_st->map.reset(s);
}

MbtilesWriter::~MbtilesWriter()
{
    m_st.reset();
    if (m_db) sqlite3_close(m_db);
}

void MbtilesWriter::exec(char const* sql)
{
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw DataError("cannot write " + m_path.string() + ": " + msg);
    }
}

void MbtilesWriter::fail(std::string const& what)
{
    throw DataError("cannot write " + m_path.string() + " (" + what + "): " + sqlite3_errmsg(m_db));
}

void MbtilesWriter::add(std::vector<EncodedTile> const& batch)
{
    exec("BEGIN");
    for (auto const& t : batch) {
        std::string key = tile_content_key(t.bytes);
        if (m_ids.insert(key).second) {
            auto* s = m_st->image.get();
            sqlite3_reset(s);
            sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
            sqlite3_bind_blob(s, 2, t.bytes.data(), static_cast<int>(t.bytes.size()), SQLITE_STATIC);
            if (sqlite3_step(s) != SQLITE_DONE) fail("storing a tile");
            ++m_distinct;
        }
        auto* s = m_st->map.get();
        sqlite3_reset(s);
        // MBTiles rows count from the south (TMS).
        auto const row = (std::int64_t{1} << t.tile.z()) - 1 - t.tile.y();
        sqlite3_bind_int(s, 1, t.tile.z());
        sqlite3_bind_int64(s, 2, t.tile.x());
        sqlite3_bind_int64(s, 3, row);
        sqlite3_bind_text(s, 4, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE) fail("storing a tile");
        ++m_tiles;
    }
    exec("COMMIT");
}

MetadataRows metadata_rows(MbtilesMetadata const& m)
{
    char buf[256];
    MetadataRows rows;
    rows.emplace_back("name", m.name);
    rows.emplace_back("format", m.format);
    std::snprintf(buf, sizeof buf, "%.6f,%.6f,%.6f,%.6f", m.bounds.minx, m.bounds.miny, m.bounds.maxx, m.bounds.maxy);
    rows.emplace_back("bounds", buf);
    std::snprintf(buf, sizeof buf, "%.6f,%.6f,%d", m.center_lon, m.center_lat, m.center_zoom);
    rows.emplace_back("center", buf);
    rows.emplace_back("minzoom", std::to_string(m.minzoom));
    rows.emplace_back("maxzoom", std::to_string(m.maxzoom));
    rows.emplace_back("type", m.type);
    rows.emplace_back("version", m.version);
    rows.emplace_back("description", m.description);
    rows.emplace_back("attribution", m.attribution);
    if (!m.json.empty()) rows.emplace_back("json", m.json);
    if (!m.shard.empty()) rows.emplace_back(kShardRow, m.shard);
    return rows;
}

void MbtilesWriter::finish(MbtilesMetadata const& m)
{
    finish(metadata_rows(m));
}

void MbtilesWriter::finish(MetadataRows const& rows)
{
    exec("BEGIN");
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(m_db, "INSERT INTO metadata (name, value) VALUES (?1, ?2)", -1, &raw, nullptr) != SQLITE_OK)
        fail("preparing the metadata insert");
    Stmt s(raw);
    for (auto const& [k, v] : rows) {
        sqlite3_reset(s.get());
        sqlite3_bind_text(s.get(), 1, k.data(), static_cast<int>(k.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(s.get(), 2, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(s.get()) != SQLITE_DONE) fail("storing metadata");
    }
    s.reset();
    exec("COMMIT");
    exec("CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row)");
    exec("CREATE UNIQUE INDEX name ON metadata (name)");
    exec("ANALYZE");
    m_st.reset();
    if (sqlite3_close(m_db) != SQLITE_OK) fail("closing");
    m_db = nullptr;
}

MbtilesReader::MbtilesReader(std::filesystem::path path) : m_path(std::move(path))
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(m_path, ec))
        throw DataError(m_path.string() + " does not exist or is not a file");
    if (sqlite3_open_v2(m_path.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::string const msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw DataError("cannot open " + m_path.string() + ": " + msg);
    }
    sqlite3_stmt* raw = nullptr;
    // Both the metadata table and the tiles view (or table) must be there.
    if (sqlite3_prepare_v2(m_db, "SELECT count(*) FROM sqlite_master WHERE name IN ('metadata', 'tiles')", -1, &raw,
                           nullptr) != SQLITE_OK) {
        std::string const msg = sqlite3_errmsg(m_db);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw DataError(m_path.string() + " is not an MBTiles file: " + msg);
    }
    Stmt s(raw);
    int const found = sqlite3_step(s.get()) == SQLITE_ROW ? sqlite3_column_int(s.get(), 0) : 0;
    s.reset();
    if (found != 2) {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw DataError(m_path.string() + " is not an MBTiles file (no metadata table or tiles view)");
    }
}

MbtilesReader::~MbtilesReader()
{
    if (m_db) sqlite3_close(m_db);
}

void MbtilesReader::fail(std::string const& what) const
{
    throw DataError("cannot read " + m_path.string() + " (" + what + "): " + sqlite3_errmsg(m_db));
}

MetadataRows MbtilesReader::metadata() const
{
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(m_db, "SELECT name, value FROM metadata ORDER BY rowid", -1, &raw, nullptr) != SQLITE_OK)
        fail("its metadata");
    Stmt s(raw);
    MetadataRows rows;
    auto text = [&](int column) {
        auto const* p = sqlite3_column_text(s.get(), column);
        return p ? std::string(reinterpret_cast<char const*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(s.get(), column)))
                 : std::string();
    };
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) rows.emplace_back(text(0), text(1));
    if (rc != SQLITE_DONE) fail("its metadata");
    return rows;
}

std::uint64_t MbtilesReader::count() const
{
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(m_db, "SELECT count(*) FROM tiles", -1, &raw, nullptr) != SQLITE_OK) fail("its tiles");
    Stmt s(raw);
    if (sqlite3_step(s.get()) != SQLITE_ROW) fail("its tiles");
    return static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
}

void MbtilesReader::for_each(std::function<void(TileId const&, std::string_view bytes)> const& visit) const
{
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(m_db, "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles", -1, &raw, nullptr) !=
        SQLITE_OK)
        fail("its tiles");
    Stmt s(raw);
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        auto const z = sqlite3_column_int(s.get(), 0);
        auto const x = sqlite3_column_int64(s.get(), 1);
        auto const row = sqlite3_column_int64(s.get(), 2);
        if (z < 0 || z > kMaxZoom) throw DataError(m_path.string() + " has a tile at zoom " + std::to_string(z));
        auto const y = (std::int64_t{1} << z) - 1 - row; // TMS rows count from the south
        auto const tile = TileId::make(z, x, y);
        if (!tile)
            throw DataError(m_path.string() + " has a tile outside its zoom level: " + std::to_string(z) + "/" +
                            std::to_string(x) + "/" + std::to_string(row) + " (TMS)");
        auto const* data = static_cast<char const*>(sqlite3_column_blob(s.get(), 3));
        visit(*tile, std::string_view(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 3))));
    }
    if (rc != SQLITE_DONE) fail("its tiles");
}

} // namespace sahelmap::exports
