# The web viewer in Debian's Chromium (playwright-core from web/node_modules,
# installed by deploy/web.sh). Skips (77) when chromium or node_modules is
# missing. Included from tests/CMakeLists.txt.
add_test(NAME "web: viewer loads tiles in Chromium"
         COMMAND node ${CMAKE_CURRENT_LIST_DIR}/viewer_test.mjs $<TARGET_FILE:sahelmap>)
set_tests_properties("web: viewer loads tiles in Chromium" PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 120
  ENVIRONMENT "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1;LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
# Issue 13: pop-ups with sources, dates and confidence; the evidence banner;
# the style fallback notice; the legend on narrow screens.
add_test(NAME "web: viewer pop-ups and evidence banner in Chromium"
         COMMAND node ${CMAKE_CURRENT_LIST_DIR}/popup_test.mjs $<TARGET_FILE:sahelmap>)
set_tests_properties("web: viewer pop-ups and evidence banner in Chromium" PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 180
  ENVIRONMENT "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1;LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
# Issue 16 item 6: seeded PMTiles read by the npm pmtiles reader (same bytes
# as the MBTiles seed, leaf directories and run lengths) and drawn by
# MapLibre GL JS through pmtiles:// from nginx on loopback (range requests).
add_test(NAME "web: pmtiles reader returns the MBTiles seed's tile bytes"
         COMMAND node ${CMAKE_CURRENT_LIST_DIR}/pmtiles_read_test.mjs $<TARGET_FILE:sahelmap>)
set_tests_properties("web: pmtiles reader returns the MBTiles seed's tile bytes" PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 180
  ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
add_test(NAME "web: MapLibre draws a seeded pmtiles file from nginx in Chromium"
         COMMAND node ${CMAKE_CURRENT_LIST_DIR}/pmtiles_maplibre_test.mjs $<TARGET_FILE:sahelmap>)
set_tests_properties("web: MapLibre draws a seeded pmtiles file from nginx in Chromium" PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 240
  ENVIRONMENT "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1;LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
