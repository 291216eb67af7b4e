# features: OGC API - Features documents and query parsing (server-independent).
sahelmap_stage(features PUBLIC_STAGES core service PRIVATE_STAGES geo vector)
target_link_libraries(sahelmap_features PRIVATE nlohmann_json::nlohmann_json)
target_sources(sahelmap_features PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/query.cpp
  ${CMAKE_CURRENT_LIST_DIR}/filter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/html.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api.cpp
  ${CMAKE_CURRENT_LIST_DIR}/openapi.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiles.cpp)
