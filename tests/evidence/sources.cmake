# Issue 13: the evidence cut-off (/data.json and the default date of every
# path). Included by tests/CMakeLists.txt after sahelmap_tests; uses the
# server's test client.
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_evidence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_sources_page.cpp)
