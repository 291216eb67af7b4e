# Tests of the features stage (target_sources(sahelmap_tests ...) and add_test()s).
