# vector: Mapbox Vector Tiles (protozero is header-only: /usr/include/protozero)
# and the MapLibre copy of our styles.
sahelmap_stage(vector PUBLIC_STAGES core render PRIVATE_STAGES geo)
target_link_libraries(sahelmap_vector PRIVATE nlohmann_json::nlohmann_json)
target_sources(sahelmap_vector PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/mvt.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clip.cpp
  ${CMAKE_CURRENT_LIST_DIR}/maplibre.cpp)
