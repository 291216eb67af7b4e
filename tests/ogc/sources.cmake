# OGC services (issue #5): WMS and WMTS over real HTTP, read by GDAL and OWSLib.
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_capabilities_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_ogc_unit.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_wms.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_wmts.cpp)
target_compile_definitions(sahelmap_tests PRIVATE SAHELMAP_OGC_TEST_DIR="${CMAKE_CURRENT_LIST_DIR}")
