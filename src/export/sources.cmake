# export: MBTiles seeding and the styled GeoPackage export (issue #5).
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
sahelmap_stage(export PUBLIC_STAGES core service style PRIVATE_STAGES encode influence vector)
target_sources(sahelmap_export PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/output.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mbtiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/seed.cpp
  ${CMAKE_CURRENT_LIST_DIR}/merge.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pmtiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qgis_expression.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qgis_labels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qgis_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qgis_symbols.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qgis_words.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sld.cpp
  ${CMAKE_CURRENT_LIST_DIR}/geopackage.cpp)
target_link_libraries(sahelmap_export PRIVATE GDAL::GDAL PkgConfig::SQLITE3 ZLIB::ZLIB nlohmann_json::nlohmann_json)
