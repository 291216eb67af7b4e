# The layering is enforced by the build (cmake/stages.cmake). These probes are
# compiled as the geo stage sees its headers: one including core (below geo,
# must build) and one including render (above geo, must fail). Neither is part
# of the default build; probe.cmake builds them and checks both outcomes, and
# runs the relative-include check over a planted upward include.
foreach(probe geo_includes_core geo_includes_render)
  add_library(layering_probe_${probe} OBJECT EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/${probe}.cpp)
  target_link_libraries(layering_probe_${probe} PRIVATE sahelmap_geo)
endforeach()
add_test(NAME "layering: a stage including a higher stage's header fails to build"
         COMMAND ${CMAKE_COMMAND} -DBINARY_DIR=${PROJECT_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                 -DSCRATCH=${CMAKE_CURRENT_BINARY_DIR}/layering-scratch
                 -P ${CMAKE_CURRENT_LIST_DIR}/probe.cmake)
set_tests_properties("layering: a stage including a higher stage's header fails to build" PROPERTIES
  TIMEOUT 300 RUN_SERIAL TRUE)
