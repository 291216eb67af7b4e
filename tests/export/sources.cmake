# Tests of the export stage: MBTiles seeding, the styled GeoPackage and its
# download, read back by real clients (gdalinfo, ogrinfo, ogr2ogr, sqlite3,
# xmllint) and over HTTP on loopback.
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_seed.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_shard.cpp)
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_geopackage.cpp)
# The download over HTTP uses the server tests' client (tests/server/client.cpp).
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_download.cpp)
