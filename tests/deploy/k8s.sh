#!/usr/bin/env bash
# ctest: deploy/k8s/ validates against the Kubernetes API schemas (npm
# kubernetes-models, offline) and our rules (tests/deploy/k8s_validate.mjs),
# tests/deploy/k8s-broken.yaml fails document by document, the ConfigMap's
# config is the Debian package's, and `kubectl kustomize` (when installed)
# builds the set into manifests that validate too.
#   k8s.sh SOURCE_DIR
set -euo pipefail
src="$1"
here="$src/tests/deploy"
web="$src/web"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v node >/dev/null || { echo "SKIP: node is not installed" >&2; exit 77; }
for m in kubernetes-models yaml; do
  [ -f "$web/node_modules/$m/package.json" ] || { echo "SKIP: npm $m missing (run deploy/web.sh)" >&2; exit 77; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

node "$here/k8s_validate.mjs" "$web" --valid "$src"/deploy/k8s/*.yaml || fail "deploy/k8s/ does not validate"
node "$here/k8s_validate.mjs" "$web" --invalid "$here/k8s-broken.yaml" || fail "a broken manifest passed validation"

# The cluster's config is the package's /etc/sahelmap/config.json.
node --input-type=module -e '
  const { readFileSync } = await import("node:fs");
  const YAML = await import(process.argv[1] + "/node_modules/yaml/dist/index.js");
  const cm = YAML.parse(readFileSync(process.argv[2], "utf8"));
  const a = JSON.stringify(JSON.parse(cm.data["config.json"]));
  const b = JSON.stringify(JSON.parse(readFileSync(process.argv[3], "utf8")));
  if (a !== b) { console.error("ConfigMap config.json differs from deploy/debian/config.json"); process.exit(1); }
' "$web" "$src/deploy/k8s/configmap.yaml" "$src/deploy/debian/config.json" || fail "the ConfigMap's config is not the package's"

if command -v kubectl >/dev/null; then
  kubectl kustomize "$src/deploy/k8s" >"$work/built.yaml" || fail "kubectl kustomize cannot build deploy/k8s"
  grep -q '^kind: HorizontalPodAutoscaler' "$work/built.yaml" || fail "the kustomization leaves out the autoscaler"
  node "$here/k8s_validate.mjs" "$web" --valid "$work/built.yaml" || fail "kubectl kustomize's output does not validate"
else
  echo "kubectl not installed: kustomization not built"
fi
echo "deploy/k8s: valid; the broken fixture is refused"
