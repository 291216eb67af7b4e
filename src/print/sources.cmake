# print: sources added by the issue that builds this stage.
target_sources(sahelmap_engine PRIVATE)
target_sources(sahelmap_engine PRIVATE ${CMAKE_CURRENT_LIST_DIR}/legend.cpp)
