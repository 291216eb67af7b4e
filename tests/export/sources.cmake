# Tests of the export stage (target_sources(sahelmap_tests ...) and add_test()s).
