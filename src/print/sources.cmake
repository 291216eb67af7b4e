# print: printable map layouts (issue #6) and the legends shared with WMS.
target_sources(sahelmap_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/area.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/legend.cpp
  ${CMAKE_CURRENT_LIST_DIR}/page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sources_page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/text.cpp)
