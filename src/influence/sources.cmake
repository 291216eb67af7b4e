# The per-region influence model (issue #4). Included by the top-level
# CMakeLists.txt right after sahelmap_engine.
target_sources(sahelmap_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/params.cpp
  ${CMAKE_CURRENT_LIST_DIR}/embedded_params.S
  ${CMAKE_CURRENT_LIST_DIR}/embedded_params.cpp
  ${CMAKE_CURRENT_LIST_DIR}/field.cpp
  ${CMAKE_CURRENT_LIST_DIR}/grid.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity.cpp
  # The CLI's influence command lives with the other commands but needs the model.
  ${PROJECT_SOURCE_DIR}/src/cli/influence.cpp)

# The shipped parameters are linked in like the default styles, so the
# binary needs no file beside it (see src/source/embedded.S).
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/embedded_params.S PROPERTIES
  OBJECT_DEPENDS "${PROJECT_SOURCE_DIR}/config/influence.json"
  COMPILE_DEFINITIONS "EMBED_INFLUENCE=\"${PROJECT_SOURCE_DIR}/config/influence.json\"")
