# Tests of the print stage (target_sources(sahelmap_tests ...) and add_test()s).
