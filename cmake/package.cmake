# Install rules and the Debian package (deploy/package.sh runs `cpack -G DEB`).
#
# Layout follows the Filesystem Hierarchy Standard as Debian ships it:
#   /usr/bin/sahelmap                     the binary (data and styles embedded too)
#   /usr/share/sahelmap/{styles,geodata,config,web}   readable copies the config points at
#   /etc/sahelmap/config.json             a conffile: the admin's edits survive upgrades
#   /lib/systemd/system/sahelmap.service  Debian 12 keeps units under /lib (usrmerge unfinished)
#   /usr/lib/sysusers.d/sahelmap.conf     the service's own system user
include(GNUInstallDirs)

set(SAHELMAP_PACKAGE_SHARE "share/sahelmap")
set(SAHELMAP_DEBIAN_DIR "${PROJECT_SOURCE_DIR}/deploy/debian")
# Group-writable files and directories are lintian errors; the packaged tree
# must not depend on the umask of whoever builds it.
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(SAHELMAP_DATA_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

install(TARGETS sahelmap RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES
  styles/default.json styles/overlay.json styles/print.json styles/influence.json styles/change.json
  DESTINATION ${SAHELMAP_PACKAGE_SHARE}/styles PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})
install(FILES geodata/sahel.gpkg DESTINATION ${SAHELMAP_PACKAGE_SHARE}/geodata
        PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})
install(FILES config/influence.json DESTINATION ${SAHELMAP_PACKAGE_SHARE}/config
        PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})

# The viewer: its pages and the two libraries they load from node_modules
# (the only node_modules paths the server serves); no test packages.
install(FILES web/index.html web/vector.html web/app.js web/app.css
        DESTINATION ${SAHELMAP_PACKAGE_SHARE}/web PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})
foreach(viewer_library leaflet maplibre-gl)
  set(viewer_library_dist "${PROJECT_SOURCE_DIR}/web/node_modules/${viewer_library}/dist")
  if(EXISTS "${viewer_library_dist}")
    install(DIRECTORY "${viewer_library_dist}/"
            DESTINATION ${SAHELMAP_PACKAGE_SHARE}/web/node_modules/${viewer_library}/dist
            FILE_PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS}
            PATTERN "*.map" EXCLUDE PATTERN "package.json" EXCLUDE)
    install(FILES "${PROJECT_SOURCE_DIR}/web/node_modules/${viewer_library}/LICENSE"
                  "${PROJECT_SOURCE_DIR}/web/node_modules/${viewer_library}/LICENSE.txt"
            DESTINATION ${SAHELMAP_PACKAGE_SHARE}/web/node_modules/${viewer_library}
            PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS} OPTIONAL)
  else()
    message(WARNING "package: ${viewer_library_dist} is missing (run deploy/web.sh); the packaged viewer will lack ${viewer_library}")
  endif()
endforeach()

# Debian wants man pages and changelogs gzipped without a timestamp (-n),
# so the package is reproducible.
find_program(SAHELMAP_GZIP gzip REQUIRED)
set(SAHELMAP_PACKAGE_STAGING "${PROJECT_BINARY_DIR}/package")
add_custom_command(
  OUTPUT ${SAHELMAP_PACKAGE_STAGING}/sahelmap.1.gz ${SAHELMAP_PACKAGE_STAGING}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${SAHELMAP_PACKAGE_STAGING}
  COMMAND ${SAHELMAP_GZIP} -n -9 -c ${PROJECT_SOURCE_DIR}/docs/sahelmap.1 > ${SAHELMAP_PACKAGE_STAGING}/sahelmap.1.gz
  COMMAND ${SAHELMAP_GZIP} -n -9 -c ${SAHELMAP_DEBIAN_DIR}/changelog > ${SAHELMAP_PACKAGE_STAGING}/changelog.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/sahelmap.1 ${SAHELMAP_DEBIAN_DIR}/changelog
  VERBATIM)
add_custom_target(sahelmap_package_docs ALL
  DEPENDS ${SAHELMAP_PACKAGE_STAGING}/sahelmap.1.gz ${SAHELMAP_PACKAGE_STAGING}/changelog.gz)
install(FILES ${SAHELMAP_PACKAGE_STAGING}/sahelmap.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})
install(FILES ${SAHELMAP_PACKAGE_STAGING}/changelog.gz ${SAHELMAP_DEBIAN_DIR}/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR} PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})

# Absolute destinations: these paths are fixed by Debian and systemd, not by the prefix.
install(FILES ${SAHELMAP_DEBIAN_DIR}/config.json DESTINATION /etc/sahelmap
        PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})
install(FILES ${SAHELMAP_DEBIAN_DIR}/sahelmap.service DESTINATION /lib/systemd/system
        PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})
install(FILES ${SAHELMAP_DEBIAN_DIR}/sysusers.conf DESTINATION /usr/lib/sysusers.d
        RENAME sahelmap.conf PERMISSIONS ${SAHELMAP_DATA_PERMISSIONS})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sahelmap)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "sahelmap maintainers <sahelmap@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "map tiles, OGC services and printable maps of the Sahel")
# CPack takes the synopsis line from the summary; this is the extended text.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "sahelmap serves XYZ raster and vector tiles, WMS, WMTS, OGC API - Features
and Tiles, and printable PDF, SVG and PNG maps of the Sahel as of any date,
from its embedded GeoPackage or any source GDAL reads. The package runs it
as a hardened systemd service with a web viewer.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://sahelmap.invalid/")
# Shared-library dependencies come from dpkg-shlibdeps; the fonts are what
# the shipped styles name, found through fontconfig at run time; adduser is
# postinst's fallback where systemd-sysusers is absent (containers).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, fonts-noto-core, fonts-dejavu-core, proj-data")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${SAHELMAP_DEBIAN_DIR}/conffiles ${SAHELMAP_DEBIAN_DIR}/postinst
  ${SAHELMAP_DEBIAN_DIR}/prerm ${SAHELMAP_DEBIAN_DIR}/postrm)
include(CPack)
