# ctest script (see sources.cmake):
#   cmake -DBINARY_DIR=<build> -DSOURCE_DIR=<repo> -DSCRATCH=<dir> -P probe.cmake
cmake_minimum_required(VERSION 3.22)

function(build_probe name result_var output_var)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target layering_probe_${name}
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(${result_var} ${result} PARENT_SCOPE)
  set(${output_var} "${output}" PARENT_SCOPE)
endfunction()

# The control: the same setup builds a downward include, so a failure below
# is the layering and not a broken probe.
build_probe(geo_includes_core result output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "geo including core should build but did not:\n${output}")
endif()

build_probe(geo_includes_render result output)
if(result EQUAL 0)
  message(FATAL_ERROR "geo including sahelmap/render/renderer.hpp built: the include roots do not enforce the layering")
endif()
if(NOT output MATCHES "sahelmap/render/renderer.hpp: No such file or directory")
  message(FATAL_ERROR "geo including render failed, but not for the missing header:\n${output}")
endif()

# A relative include reaching upward is refused by check_layering.cmake.
file(REMOVE_RECURSE ${SCRATCH})
file(WRITE ${SCRATCH}/src/geo/upward.cpp "#include \"../server/core.hpp\"\n")
file(WRITE ${SCRATCH}/src/geo/sideways_ok.cpp "#include \"../core/anything.hpp\"\n")
file(WRITE ${SCRATCH}/allowed.txt "core=core\ngeo=geo,core\nserver=server,geo,core\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${SCRATCH} -DALLOWED=${SCRATCH}/allowed.txt
                        -P ${SOURCE_DIR}/cmake/check_layering.cmake
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "check_layering.cmake accepted src/geo including ../server/core.hpp")
endif()
if(NOT output MATCHES "src/geo/upward.cpp: #include \"../server/core.hpp\" reaches stage server"
   OR output MATCHES "sideways_ok")
  message(FATAL_ERROR "check_layering.cmake failed for the wrong reason:\n${output}")
endif()
message(STATUS "layering probes: downward include builds, upward include refused by the compiler and by the relative-include check")
