# Tests of the influence model (issue #4), tag [influence].
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_params.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_analytic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_shipped.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_cli_influence.cpp)
