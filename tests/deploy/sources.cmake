# The Debian package (deploy/package.sh, cmake/package.cmake) and the
# Kubernetes manifests (deploy/k8s/): real tools, skipped (77) only when absent.
set(SAHELMAP_TEST_DEB_DIR ${CMAKE_CURRENT_BINARY_DIR}/deploy-package)
set(SAHELMAP_DEPLOY_TEST ${CMAKE_CURRENT_SOURCE_DIR}/deploy/package.sh)
# In the ASan build (deploy/test.sh) the packaged binary is the sanitized one.
set(SAHELMAP_DEPLOY_ENV "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")

add_test(NAME "deploy: cpack builds sahelmap_<version>_amd64.deb"
         COMMAND bash ${SAHELMAP_DEPLOY_TEST} build ${PROJECT_BINARY_DIR} ${SAHELMAP_TEST_DEB_DIR})
set_tests_properties("deploy: cpack builds sahelmap_<version>_amd64.deb" PROPERTIES
  FIXTURES_SETUP sahelmap_deb SKIP_RETURN_CODE 77 TIMEOUT 300 RESOURCE_LOCK sahelmap_deb_dir)

foreach(deploy_check IN ITEMS
    "lintian|deploy: lintian reports no error or warning on the .deb"
    "systemd|deploy: systemd-analyze verifies the packaged unit"
    "serve|deploy: the binary extracted from the .deb serves tiles and the viewer from the installed paths")
  string(REPLACE "|" ";" deploy_check "${deploy_check}")
  list(GET deploy_check 0 deploy_step)
  list(GET deploy_check 1 deploy_name)
  add_test(NAME "${deploy_name}" COMMAND bash ${SAHELMAP_DEPLOY_TEST} ${deploy_step} ${SAHELMAP_TEST_DEB_DIR})
  set_tests_properties("${deploy_name}" PROPERTIES
    FIXTURES_REQUIRED sahelmap_deb SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "${SAHELMAP_DEPLOY_ENV}")
endforeach()

add_test(NAME "deploy: Kubernetes manifests validate against the API schemas and a broken one fails"
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/deploy/k8s.sh ${PROJECT_SOURCE_DIR})
set_tests_properties("deploy: Kubernetes manifests validate against the API schemas and a broken one fails" PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 120)
