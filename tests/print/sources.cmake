# Tests of the print stage: layouts, legends, PDF/SVG/PNG through poppler and
# librsvg, golden layouts (tests/golden/print/), GET /print over HTTP, and
# change maps.
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_print.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_print_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_print_http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_change.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_reference_numbers.cpp)
