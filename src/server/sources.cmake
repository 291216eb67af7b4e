# The HTTP service (issue #3): Boost.Asio + Boost.Beast with C++20 coroutines.
# Included by the top-level CMakeLists.txt after every stage it links.
find_package(Boost 1.74 REQUIRED COMPONENTS system)

sahelmap_stage(server PUBLIC_STAGES core encode service
  PRIVATE_STAGES export features influence ogc print render vector)
# The connection loop: Asio coroutines, which clang 14 cannot compile, so
# libFuzzer builds (SAHELMAP_FUZZ) leave it out and keep the parser, the
# router and the handlers for the request fuzzer.
set(SAHELMAP_SERVER_LOOP_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/listener.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_queue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reloader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/work_lanes.cpp)
if(NOT SAHELMAP_FUZZ)
  target_sources(sahelmap_server PRIVATE ${SAHELMAP_SERVER_LOOP_SOURCES})
endif()
target_sources(sahelmap_server PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/access.cpp
  ${CMAKE_CURRENT_LIST_DIR}/errors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_meta.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_styles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_tiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_web.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_data.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_wms.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_wmts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_ogc_tiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_vector.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_print.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_download.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_legend.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handlers_maplibre.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/public_base.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router.cpp
  ${CMAKE_CURRENT_LIST_DIR}/snapshot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tile_cache.cpp)

# GCC 12 takes the frame allocator of Asio's coroutines (awaitable_frame_base's
# operator new/delete) for a mismatched pair once frames are inlined (GCC bug
# 109224); nothing is mismatched. Only the files with coroutines opt out.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set_source_files_properties(
    ${CMAKE_CURRENT_LIST_DIR}/listener.cpp
    ${CMAKE_CURRENT_LIST_DIR}/render_queue.cpp
    ${CMAKE_CURRENT_LIST_DIR}/server.cpp
    ${CMAKE_CURRENT_LIST_DIR}/session.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sessions.cpp
    PROPERTIES COMPILE_OPTIONS -Wno-mismatched-new-delete)
endif()

# Where / and /static/ files come from unless --web-root says otherwise.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/handlers_web.cpp PROPERTIES
  COMPILE_DEFINITIONS "SAHELMAP_WEB_ROOT=\"${PROJECT_SOURCE_DIR}/web\"")

# Beast and Asio are header-only here; Boost.System is linked for its error
# categories. http.hpp, a public header, includes Beast: Boost::headers is PUBLIC.
target_link_libraries(sahelmap_server PUBLIC Boost::headers PRIVATE Boost::system nlohmann_json::nlohmann_json)
