# vector: Mapbox Vector Tiles (protozero is header-only: /usr/include/protozero)
# and the MapLibre copy of our styles.
target_sources(sahelmap_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/mvt.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clip.cpp
  ${CMAKE_CURRENT_LIST_DIR}/maplibre.cpp)
