# The per-region influence model (issue #4). Included by the top-level
# CMakeLists.txt after the stages it links.
sahelmap_stage(influence PUBLIC_STAGES core geo)
target_link_libraries(sahelmap_influence PRIVATE nlohmann_json::nlohmann_json)
target_sources(sahelmap_influence PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/params.cpp
  ${CMAKE_CURRENT_LIST_DIR}/embedded_params.S
  ${CMAKE_CURRENT_LIST_DIR}/embedded_params.cpp
  ${CMAKE_CURRENT_LIST_DIR}/field.cpp
  ${CMAKE_CURRENT_LIST_DIR}/grid.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/record.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity.cpp)

# The shipped parameters are linked in like the default styles, so the
# binary needs no file beside it (see src/source/embedded.S).
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/embedded_params.S PROPERTIES
  OBJECT_DEPENDS "${PROJECT_SOURCE_DIR}/config/influence.json"
  COMPILE_DEFINITIONS "EMBED_INFLUENCE=\"${PROJECT_SOURCE_DIR}/config/influence.json\"")
