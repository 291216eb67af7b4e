# WMS GetMap timing: 1024×768 over the three countries in EPSG:32631, in-process.
add_executable(wms_bench ${CMAKE_CURRENT_LIST_DIR}/wms_bench.cpp)
target_link_libraries(wms_bench PRIVATE sahelmap_engine)
