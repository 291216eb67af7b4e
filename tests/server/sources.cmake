# Tests of the HTTP service; included by tests/CMakeLists.txt after sahelmap_tests.
target_sources(sahelmap_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_router.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_connections.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_framing.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_public_links.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_access.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_vector_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_log.cpp

  ${CMAKE_CURRENT_LIST_DIR}/test_admission.cpp)
# The tests speak HTTP through Beast and parse JSON answers.
target_link_libraries(sahelmap_tests PRIVATE Boost::headers Boost::system nlohmann_json::nlohmann_json)
