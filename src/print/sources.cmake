# print: printable map layouts (issue #6); legends and page text are drawn by render.
sahelmap_stage(print PUBLIC_STAGES core service style PRIVATE_STAGES encode geo render)
# Cairo for the PDF and SVG surfaces of the page; text and drawing are render's.
target_link_libraries(sahelmap_print PRIVATE PkgConfig::CAIRO)
target_sources(sahelmap_print PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/area.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sources_page.cpp)
