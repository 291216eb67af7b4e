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
