# Vector tile encoding over the render bench's tile set (zooms 3–10).
add_executable(vector_bench ${CMAKE_CURRENT_LIST_DIR}/vector_bench.cpp)
target_link_libraries(vector_bench PRIVATE sahelmap_engine)
