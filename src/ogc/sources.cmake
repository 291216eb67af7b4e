# OGC services (issue #5): WMS 1.3.0/1.1.1 and WMTS 1.0.0, independent of the HTTP server.
sahelmap_stage(ogc PUBLIC_STAGES core render service PRIVATE_STAGES encode geo influence)
target_link_libraries(sahelmap_ogc PRIVATE PkgConfig::CAIRO nlohmann_json::nlohmann_json)
target_sources(sahelmap_ogc PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/crs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/failure.cpp
  ${CMAKE_CURRENT_LIST_DIR}/feature_info.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kvp.cpp
  ${CMAKE_CURRENT_LIST_DIR}/map.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wms.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wms_capabilities.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wms_exceptions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wms_operations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/wmts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/xml.cpp)
