# Influence model timing: synthetic 10 … 10 000 sites and the shipped data.
add_executable(influence_bench ${CMAKE_CURRENT_LIST_DIR}/influence_bench.cpp)
target_link_libraries(influence_bench PRIVATE sahelmap_engine)
