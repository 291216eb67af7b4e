# Print layouts: A3 landscape at 300 dpi of the AES area, PDF and PNG.
add_executable(print_bench ${CMAKE_CURRENT_LIST_DIR}/print_bench.cpp)
target_link_libraries(print_bench PRIVATE sahelmap_engine)
