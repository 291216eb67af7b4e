# One static library per pipeline stage, linked only downward (docs/STYLE.md,
# issue 12 item 2). A stage's compiler sees the public headers of itself and
# of the stages it links, nothing else, so an upward
# `#include "sahelmap/<higher>/..."` fails with "No such file or directory".
#
# How: the headers stay in include/sahelmap/<stage>/, but no target gets
# include/ itself. Each stage gets its own include root in the build tree,
#   <build>/stage-include/<stage>/sahelmap/<stage> -> include/sahelmap/<stage>
# (a directory symlink, so new headers need no reconfigure), as a PUBLIC
# include directory; CMake's usage requirements then hand a stage exactly the
# roots of what it links (PUBLIC deps transitively, PRIVATE deps for its own
# sources only).
#
# Relative includes ("../render/draw.hpp") bypass include paths, so
# cmake/check_layering.cmake, run on every build by the sahelmap_layering
# target, refuses those that reach a stage outside the including stage's
# link closure.

set(SAHELMAP_STAGE_INCLUDE_ROOT ${PROJECT_BINARY_DIR}/stage-include)
set_property(GLOBAL PROPERTY SAHELMAP_STAGES "")

# sahelmap_stage(<stage> [PUBLIC_STAGES s...] [PRIVATE_STAGES s...])
# creates sahelmap_<stage> (sources are added by the caller with
# target_sources) with its include root and its first-party links. Third-party
# libraries are linked by the caller, each where it is used.
function(sahelmap_stage stage)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "PUBLIC_STAGES;PRIVATE_STAGES")
  set(target sahelmap_${stage})
  add_library(${target} STATIC)
  set(root ${SAHELMAP_STAGE_INCLUDE_ROOT}/${stage})
  file(MAKE_DIRECTORY ${root}/sahelmap)
  set(link ${root}/sahelmap/${stage})
  set(points_to "")
  if(IS_SYMLINK ${link})
    file(READ_SYMLINK ${link} points_to)
  endif()
  if(NOT points_to STREQUAL "${PROJECT_SOURCE_DIR}/include/sahelmap/${stage}")
    file(REMOVE ${link})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/sahelmap/${stage} ${link} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root})
  set(closure ${stage})
  foreach(dep IN LISTS arg_PUBLIC_STAGES arg_PRIVATE_STAGES)
    if(NOT TARGET sahelmap_${dep})
      message(FATAL_ERROR "stage ${stage} links ${dep}, which is not defined before it: stages link only downward")
    endif()
    get_property(dep_closure GLOBAL PROPERTY SAHELMAP_STAGE_CLOSURE_${dep})
    list(APPEND closure ${dep_closure})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  list(TRANSFORM arg_PUBLIC_STAGES PREPEND sahelmap_ OUTPUT_VARIABLE public_targets)
  list(TRANSFORM arg_PRIVATE_STAGES PREPEND sahelmap_ OUTPUT_VARIABLE private_targets)
  target_link_libraries(${target} PUBLIC ${public_targets} PRIVATE ${private_targets})
  set_property(GLOBAL PROPERTY SAHELMAP_STAGE_CLOSURE_${stage} ${closure})
  set_property(GLOBAL APPEND PROPERTY SAHELMAP_STAGES ${stage})
endfunction()

# The layering check over relative includes, and the list of allowed stages
# per stage it reads. Call once, after every stage is defined.
function(sahelmap_layering_check)
  get_property(stages GLOBAL PROPERTY SAHELMAP_STAGES)
  set(table "")
  foreach(stage IN LISTS stages)
    get_property(closure GLOBAL PROPERTY SAHELMAP_STAGE_CLOSURE_${stage})
    string(REPLACE ";" "," closure "${closure}")
    string(APPEND table "${stage}=${closure}\n")
  endforeach()
  file(WRITE ${PROJECT_BINARY_DIR}/stage-include/allowed.txt "${table}")
  add_custom_target(sahelmap_layering ALL
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DALLOWED=${PROJECT_BINARY_DIR}/stage-include/allowed.txt
            -P ${PROJECT_SOURCE_DIR}/cmake/check_layering.cmake
    COMMENT "Checking that no stage includes a higher stage's headers"
    VERBATIM)
endfunction()

# One translation unit per public header, compiled against only the stage
# that owns it: each header includes what it uses, and nothing above its stage.
function(sahelmap_header_check)
  get_property(stages GLOBAL PROPERTY SAHELMAP_STAGES)
  add_custom_target(sahelmap_header_check)
  foreach(stage IN LISTS stages)
    file(GLOB headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/sahelmap/${stage}/*.hpp)
    set(tus "")
    foreach(header IN LISTS headers)
      get_filename_component(name ${header} NAME_WE)
      set(tu ${PROJECT_BINARY_DIR}/header-check/${stage}/${name}.cpp)
      # Twice: the second include proves the guard.
      set(text "#include \"sahelmap/${stage}/${name}.hpp\"\n#include \"sahelmap/${stage}/${name}.hpp\"\n")
      set(old "")
      if(EXISTS ${tu})
        file(READ ${tu} old)
      endif()
      if(NOT old STREQUAL text)
        file(WRITE ${tu} "${text}")
      endif()
      list(APPEND tus ${tu})
    endforeach()
    if(tus)
      add_library(sahelmap_header_check_${stage} OBJECT ${tus})
      target_link_libraries(sahelmap_header_check_${stage} PRIVATE sahelmap_${stage})
      add_dependencies(sahelmap_header_check sahelmap_header_check_${stage})
    endif()
  endforeach()
endfunction()
