# Run by the sahelmap_layering target on every build (see cmake/stages.cmake):
# fails when a file of one stage reaches another stage's headers through a
# relative include ("../render/draw.hpp", "../../include/sahelmap/server/x.hpp")
# and that stage is not one it links. Includes through "sahelmap/<stage>/" need
# no check here: the compiler refuses those, the include roots being per stage.
#   cmake -DSOURCE_DIR=<repo> -DALLOWED=<build>/stage-include/allowed.txt -P check_layering.cmake
cmake_minimum_required(VERSION 3.22)
file(STRINGS ${ALLOWED} rows)
set(stages "")
foreach(row IN LISTS rows)
  string(REGEX MATCH "^([a-z_]+)=(.*)$" _ "${row}")
  string(REPLACE "," ";" allowed_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  list(APPEND stages ${CMAKE_MATCH_1})
endforeach()

set(violations "")
foreach(stage IN LISTS stages)
  file(GLOB_RECURSE files
    ${SOURCE_DIR}/src/${stage}/*.cpp ${SOURCE_DIR}/src/${stage}/*.hpp
    ${SOURCE_DIR}/include/sahelmap/${stage}/*.hpp)
  foreach(file IN LISTS files)
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]*\\.\\./")
    foreach(line IN LISTS includes)
      string(REGEX MATCH "\"([^\"]+)\"" _ "${line}")
      set(included "${CMAKE_MATCH_1}")
      get_filename_component(dir ${file} DIRECTORY)
      get_filename_component(target "${dir}/${included}" ABSOLUTE)
      set(target_stage "")
      if(target MATCHES "^${SOURCE_DIR}/src/([a-z_]+)/")
        set(target_stage ${CMAKE_MATCH_1})
      elseif(target MATCHES "^${SOURCE_DIR}/include/sahelmap/([a-z_]+)/")
        set(target_stage ${CMAKE_MATCH_1})
      endif()
      if(target_stage AND NOT target_stage IN_LIST allowed_${stage})
        file(RELATIVE_PATH shown ${SOURCE_DIR} ${file})
        string(APPEND violations "  ${shown}: #include \"${included}\" reaches stage ${target_stage}, which ${stage} does not link\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "Layering: a stage includes a stage it does not link (cmake/stages.cmake):\n${violations}")
endif()
