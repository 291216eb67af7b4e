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
