# QGIS 3 itself (PyQGIS, headless) as a client: the WMTS layer added as the
# "Add WMTS" dialog does, and the exported GeoPackage with its default styles,
# each rendered by QGIS's map renderer and checked pixel by pixel against our
# own tiles and WMS map, and a protected layer read only with its key. run.sh starts the server (and the export); the
# Python checks are handed its URL and the file. Skipped (77) when
# python3-qgis is missing. Pictures in the build's tests/qgis-output/.
# Included from tests/CMakeLists.txt.
foreach(mode wmts gpkg access)
  if(mode STREQUAL "wmts")
    set(name "qgis: WMTS layer as the Add WMTS dialog adds it, with and without a date, equals our tiles")
  elseif(mode STREQUAL "access")
    set(name "qgis: a protected OGC API collection opens only with its key in the Authorization header")
  else()
    set(name "qgis: exported GeoPackage with its default styles looks like our WMS map, labels placed")
  endif()
  add_test(NAME "${name}"
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run.sh $<TARGET_FILE:sahelmap> ${mode}
                   ${CMAKE_CURRENT_BINARY_DIR}/qgis-output)
  set_tests_properties("${name}" PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 240
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
endforeach()
