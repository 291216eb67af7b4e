# Issue 16 items 3 and 4: several real `sahelmap serve` nodes on loopback,
# behind the shipped nginx cache tier, and on one shared PostGIS. Skip (77)
# when nginx or PostgreSQL with PostGIS is missing. Included from tests/CMakeLists.txt.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME "cluster: nginx cache tier over three nodes survives a SIGKILL and serves new data within max-age"
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/cache_tier.py $<TARGET_FILE:sahelmap>)
  set_tests_properties("cluster: nginx cache tier over three nodes survives a SIGKILL and serves new data within max-age"
    PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 180 RUN_SERIAL TRUE
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
  add_test(NAME "cluster: nodes on one PostGIS converge on a data change and a failed reload drains its node"
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/shared_source.py $<TARGET_FILE:sahelmap>)
  set_tests_properties("cluster: nodes on one PostGIS converge on a data change and a failed reload drains its node"
    PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 180
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
endif()
target_sources(sahelmap_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_reload_config.cpp)
