// Validates Kubernetes manifests against the API schemas of the npm
// kubernetes-models package (JSON Schema of each kind, from the Kubernetes
// OpenAPI document), then checks what the schemas cannot: that the objects
// of the set refer to each other correctly and keep our production rules.
//
//   node k8s_validate.mjs WEB_DIR (--valid|--invalid) FILE.yaml...
// --valid: every document must pass; --invalid: every document must fail.
import { readFileSync, existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [webDir, mode, ...files] = process.argv.slice(2);
if (!webDir || (mode !== "--valid" && mode !== "--invalid") || files.length === 0) {
  console.error("usage: k8s_validate.mjs WEB_DIR --valid|--invalid FILE.yaml...");
  process.exit(2);
}
const modules = path.join(webDir, "node_modules");
const YAML = await import(pathToFileURL(path.join(modules, "yaml/dist/index.js")));

// apiVersion "apps/v1" + kind "Deployment" -> kubernetes-models/apps/v1/Deployment.js
async function modelOf(doc) {
  if (typeof doc.apiVersion !== "string" || typeof doc.kind !== "string") return null;
  const file = path.join(modules, "kubernetes-models", ...doc.apiVersion.split("/"), `${doc.kind}.js`);
  if (!existsSync(file)) return null;
  return (await import(pathToFileURL(file)))[doc.kind];
}

function matches(selector, labels) {
  return selector && Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([k, v]) => labels && labels[k] === v);
}

// Cross-object and policy rules; returns a list of problems for one document.
function policyProblems(doc, all) {
  const problems = [];
  const deployments = all.filter((d) => d.kind === "Deployment");
  const podSpecs = all
    .filter((d) => ["Deployment", "Job"].includes(d.kind))
    .map((d) => ({ owner: d, labels: d.spec?.template?.metadata?.labels, spec: d.spec?.template?.spec }));
  if (doc.kind === "Deployment" || doc.kind === "Job") {
    const spec = doc.spec?.template?.spec ?? {};
    if (doc.kind === "Deployment" && !matches(doc.spec?.selector?.matchLabels, doc.spec?.template?.metadata?.labels))
      problems.push("selector does not match the pod template's labels");
    if (spec.securityContext?.runAsNonRoot !== true) problems.push("pods may run as root (runAsNonRoot)");
    for (const c of spec.containers ?? []) {
      if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`container ${c.name}: root filesystem is writable`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`container ${c.name}: may escalate privileges`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory)
        problems.push(`container ${c.name}: no cpu/memory requests and memory limit`);
      for (const m of c.volumeMounts ?? [])
        if (!(spec.volumes ?? []).some((v) => v.name === m.name)) problems.push(`container ${c.name}: mounts unknown volume ${m.name}`);
      if (c.image?.startsWith("sahelmap:") && doc.kind === "Deployment") {
        if (c.readinessProbe?.httpGet?.path !== "/readyz") problems.push(`container ${c.name}: readiness probe is not /readyz`);
        if (c.livenessProbe?.httpGet?.path !== "/healthz") problems.push(`container ${c.name}: liveness probe is not /healthz`);
      }
    }
    for (const v of spec.volumes ?? []) {
      const name = v.configMap?.name;
      if (name && !all.some((d) => d.kind === "ConfigMap" && d.metadata?.name === name))
        problems.push(`volume ${v.name}: ConfigMap ${name} is not in the set`);
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !all.some((d) => d.kind === "PersistentVolumeClaim" && d.metadata?.name === claim))
        problems.push(`volume ${v.name}: PersistentVolumeClaim ${claim} is not in the set`);
    }
  }
  if (doc.kind === "Job" && doc.spec?.completionMode === "Indexed") {
    const command = [...(doc.spec.template.spec.containers[0].command ?? []), ...(doc.spec.template.spec.containers[0].args ?? [])].join(" ");
    const shards = command.match(/--shard\s+"?\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/(\d+)"?/);
    if (!shards) problems.push("an Indexed seed Job must pass --shard $((JOB_COMPLETION_INDEX + 1))/N");
    else if (Number(shards[1]) !== doc.spec.completions) problems.push(`--shard .../${shards[1]} but completions is ${doc.spec.completions}`);
  }
  if (doc.kind === "Service" && !podSpecs.some((p) => matches(doc.spec?.selector, p.labels)))
    problems.push("selector matches no pod template of the set");
  if (doc.kind === "PodDisruptionBudget" && !deployments.some((d) => matches(doc.spec?.selector?.matchLabels, d.spec?.template?.metadata?.labels)))
    problems.push("selector matches no Deployment of the set");
  if (doc.kind === "HorizontalPodAutoscaler") {
    const target = doc.spec?.scaleTargetRef;
    if (!all.some((d) => d.kind === target?.kind && d.metadata?.name === target?.name))
      problems.push(`scaleTargetRef ${target?.kind}/${target?.name} is not in the set`);
  }
  return problems;
}

const documents = [];
for (const file of files) {
  for (const parsed of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
    if (parsed.errors.length) { documents.push({ file, doc: null, yamlError: parsed.errors[0].message }); continue; }
    const doc = parsed.toJSON();
    if (doc !== null) documents.push({ file, doc });
  }
}
const all = documents.map((d) => d.doc).filter(Boolean);
let wrong = 0;
for (const { file, doc, yamlError } of documents) {
  const name = doc ? `${path.basename(file)}: ${doc.kind}/${doc.metadata?.name}` : path.basename(file);
  const problems = [];
  if (yamlError) problems.push(`YAML: ${yamlError}`);
  else if (doc.kind === "Kustomization") continue; // kustomize's own file, not an API object
  else {
    const Model = await modelOf(doc);
    if (!Model) problems.push(`unknown apiVersion/kind ${doc.apiVersion}/${doc.kind}`);
    else {
      try { new Model(doc).validate(); } catch (e) { problems.push(`schema: ${e.message}`); }
    }
    problems.push(...policyProblems(doc, all));
  }
  if (mode === "--valid") {
    if (problems.length) { wrong++; console.log(`FAIL ${name}\n  ${problems.join("\n  ")}`); }
    else console.log(`ok   ${name}`);
  } else {
    if (problems.length) console.log(`ok   ${name} is refused: ${problems[0]}`);
    else { wrong++; console.log(`FAIL ${name} passes validation but is broken`); }
  }
}
console.log(`${documents.length} documents, ${wrong} ${mode === "--valid" ? "invalid" : "wrongly accepted"}`);
process.exit(wrong ? 1 : 0);
