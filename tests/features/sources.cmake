# Tests of the features stage: vector tiles, OGC API - Features, the MapLibre
# style copy, and real clients (GDAL's OAPIF and MVT drivers) over loopback.
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_mvt.cpp)
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_ogc_api.cpp)
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_clients.cpp)
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_vector_http.cpp)
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_ogc_tiles.cpp)
# MapLibre GL JS in Debian's Chromium drawing our vector tiles with our
# rewritten style (skipped when Chromium or web/node_modules is missing).
add_test(NAME "vector: MapLibre GL JS draws our vector tiles with our style in Chromium"
         COMMAND node ${CMAKE_CURRENT_LIST_DIR}/maplibre_test.mjs $<TARGET_FILE:sahelmap> $<TARGET_FILE:sahelmap_placed_labels>)
set_tests_properties("vector: MapLibre GL JS draws our vector tiles with our style in Chromium" PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 120
  ENVIRONMENT "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1;LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_maplibre_resources.cpp)
