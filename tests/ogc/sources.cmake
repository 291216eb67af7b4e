# Tests of the ogc stage (target_sources(sahelmap_tests ...) and add_test()s).
