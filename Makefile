# EdgeBridge - run `make` for the list of targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

MVN ?= mvn
MVN_FLAGS ?= -B -ntp
KUBECTL ?= kubectl
OPERATOR_JAR := operator/target/quarkus-app/quarkus-run.jar
# A kubeconfig file for `make run`; by default the one kubectl uses.
CLUSTER ?=
GO ?= go
# The test control plane (make controlplane): must match k8s.io/kubernetes in tools/controlplane/go.mod.
K8S_VERSION := v1.37.2
CONTROLPLANE_SRC := tools/controlplane
CONTROLPLANE_BIN := .cache/bin
# make bench: how many simulated edge clusters, and the benchmark JVM's heap for them.
BENCH_CLUSTERS ?= 10000
BENCH_HEAP ?= 4g
# More -D options for the fleet benchmark, e.g. BENCH_FLAGS=-Dbench.profile=true (JFR of the operator).
BENCH_FLAGS ?=
# kwok, the edge sites' fake kubelet: must match sigs.k8s.io/kwok in tools/kwok/go.mod (a module of
# its own: kwok pins other k8s.io versions than Kubernetes itself).
KWOK_VERSION := v0.8.0
KWOK_SRC := tools/kwok
CONTROLPLANE_BINARIES := etcd kube-apiserver kube-controller-manager kube-scheduler kwok

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Compile and package every module (no tests)
	$(MVN) $(MVN_FLAGS) package -DskipTests

.PHONY: test
test: tools-check controlplane ## Run the whole test suite (unit, mock-server, manifest and API-server tests)
	$(MVN) $(MVN_FLAGS) verify

.PHONY: controlplane
controlplane: ## Build the test control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) into .cache/bin, once
	@missing=""; for b in $(CONTROLPLANE_BINARIES); do [ -x $(CONTROLPLANE_BIN)/$$b ] || missing="$$missing $$b"; done; \
	if [ -z "$$missing" ] && [ "$$(cat $(CONTROLPLANE_BIN)/VERSION 2>/dev/null)" = "$(CONTROLPLANE_STAMP)" ]; then \
	  echo "Test control plane $(K8S_VERSION) (kwok $(KWOK_VERSION)) is up to date in $(CONTROLPLANE_BIN)."; exit 0; fi; \
	command -v $(GO) >/dev/null || { echo "Go is required to build the test control plane (Kubernetes components, etcd and kwok): install Go 1.26+ (go not found)"; exit 1; }; \
	grep -Eq '^\s*k8s.io/kubernetes $(K8S_VERSION)( |$$)' $(CONTROLPLANE_SRC)/go.mod \
	  || { echo "K8S_VERSION $(K8S_VERSION) in the Makefile does not match k8s.io/kubernetes in $(CONTROLPLANE_SRC)/go.mod"; exit 1; }; \
	grep -Eq '^\s*sigs.k8s.io/kwok $(KWOK_VERSION)( |$$)' $(KWOK_SRC)/go.mod \
	  || { echo "KWOK_VERSION $(KWOK_VERSION) in the Makefile does not match sigs.k8s.io/kwok in $(KWOK_SRC)/go.mod"; exit 1; }; \
	echo "Building the test control plane $(K8S_VERSION) ($(CONTROLPLANE_BINARIES)) into $(CONTROLPLANE_BIN)."; \
	echo "The first build takes several minutes (about 8 on 2 cores); later runs reuse it."; \
	mkdir -p $(CONTROLPLANE_BIN); rm -f $(CONTROLPLANE_BIN)/VERSION; \
	export CGO_ENABLED=0; \
	cd $(CURDIR)/$(CONTROLPLANE_SRC); \
	echo "  etcd"; \
	$(GO) build -trimpath -buildvcs=false -ldflags="-s -w" -o $(CURDIR)/$(CONTROLPLANE_BIN)/etcd ./etcd; \
	for component in kube-apiserver kube-controller-manager kube-scheduler; do \
	  echo "  $$component"; \
	  $(GO) build -trimpath -buildvcs=false -ldflags="-s -w $(K8S_VERSION_LDFLAGS)" \
	    -o $(CURDIR)/$(CONTROLPLANE_BIN)/$$component k8s.io/kubernetes/cmd/$$component; \
	done; \
	cd $(CURDIR)/$(KWOK_SRC); \
	echo "  kwok"; \
	$(GO) build -trimpath -buildvcs=false -ldflags="-s -w" -o $(CURDIR)/$(CONTROLPLANE_BIN)/kwok sigs.k8s.io/kwok/cmd/kwok; \
	echo "$(CONTROLPLANE_STAMP)" > $(CURDIR)/$(CONTROLPLANE_BIN)/VERSION; \
	echo "Built $$($(CURDIR)/$(CONTROLPLANE_BIN)/kube-apiserver --version), etcd and kwok $(KWOK_VERSION) into $(CONTROLPLANE_BIN)."

.PHONY: run
run: ## Run EdgeBridge: on CLUSTER=<kubeconfig> or the current kubeconfig; with no cluster, the local demo
	@if [ -n "$(CLUSTER)" ] || $(KUBECTL) config current-context >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory run-on-cluster; \
	else \
	  echo "No Kubernetes cluster is configured: starting the local demo (make demo)."; \
	  $(MAKE) --no-print-directory demo; \
	fi

.PHONY: run-on-cluster
run-on-cluster: cluster-check
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -pl operator -am
	@echo "Installing the EdgeBridge CRDs into $$($(KUBECTL) $(KUBECONFIG_FLAG) config current-context) ..."
	$(KUBECTL) $(KUBECONFIG_FLAG) apply --server-side --force-conflicts -k crds
	@echo "Starting the operator (Ctrl-C stops it) ..."
	$(if $(CLUSTER),KUBECONFIG=$(CLUSTER)) java -jar $(OPERATOR_JAR)

.PHONY: demo
demo: tools-check controlplane ## Local demo: a central control plane, the operator and simulated EVE sites
	@mkdir -p target
	@echo "Building EdgeBridge (the first build downloads dependencies) ..."
	$(MVN) $(MVN_FLAGS) -q package dependency:build-classpath -pl e2e -am -DskipTests \
	  -Dmdep.includeScope=test -Dmdep.outputFile=$(CURDIR)/target/demo-classpath.txt
	java -Xmx1g -cp e2e/target/test-classes:$$(cat target/demo-classpath.txt) \
	  -Dbasedir=$(CURDIR)/e2e -Dedgebridge.controlplane.bin=$(CURDIR)/$(CONTROLPLANE_BIN) \
	  -Dedgebridge.controlplane.work=$(CURDIR)/.cache/demo/controlplane \
	  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
	  io.edgebridge.e2e.DemoLauncher

.PHONY: bench
bench: tools-check controlplane ## Run the benchmarks (planner; fleet of BENCH_CLUSTERS=10000 proxies); figures in target/bench/
	@mkdir -p target/bench
	$(MVN) $(MVN_FLAGS) -q test-compile -pl operator -am
	$(MVN) $(MVN_FLAGS) -q dependency:build-classpath -pl operator -Dmdep.includeScope=test \
	  -Dmdep.outputFile=$(CURDIR)/target/bench-classpath.txt
	java -Xmx2g -cp operator/target/test-classes:operator/target/classes:$$(cat target/bench-classpath.txt) \
	  -Dbench.dir=$(CURDIR)/target/bench io.edgebridge.operator.plan.PlannerBenchmark
	$(MVN) $(MVN_FLAGS) -q package dependency:build-classpath -pl e2e -am -DskipTests \
	  -Dmdep.includeScope=test -Dmdep.outputFile=$(CURDIR)/target/e2e-classpath.txt
	java -Xmx$(BENCH_HEAP) -cp e2e/target/test-classes:$$(cat target/e2e-classpath.txt) \
	  -Dbasedir=$(CURDIR)/e2e -Dedgebridge.controlplane.bin=$(CURDIR)/$(CONTROLPLANE_BIN) \
	  -Dbench.dir=$(CURDIR)/target/bench -Dbench.clusters=$(BENCH_CLUSTERS) \
	  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
	  $(BENCH_FLAGS) io.edgebridge.e2e.FleetBenchmark
	java -cp e2e/target/test-classes:$$(cat target/e2e-classpath.txt) -Dbench.dir=$(CURDIR)/target/bench \
	  io.edgebridge.e2e.BenchReport

# BENCH_PROXY_FLAGS: more -D options for it, e.g. -Dbench.proxy.jvm="-Xmx64m" to try JVM flags other than the manifest's.
.PHONY: bench-proxy
bench-proxy: tools-check controlplane ## Resident memory of a real edge proxy, idle after sync: target/bench/proxy.json
	@mkdir -p target/bench
	$(MVN) $(MVN_FLAGS) -q package dependency:build-classpath -pl e2e -am -DskipTests \
	  -Dmdep.includeScope=test -Dmdep.outputFile=$(CURDIR)/target/bench-proxy-classpath.txt
	java -Xmx512m -cp e2e/target/test-classes:$$(cat target/bench-proxy-classpath.txt) \
	  -Dbasedir=$(CURDIR)/e2e -Dbench.dir=$(CURDIR)/target/bench \
	  -Dedgebridge.controlplane.bin=$(CURDIR)/$(CONTROLPLANE_BIN) \
	  -Dedgebridge.controlplane.work=$(CURDIR)/target/bench/controlplane \
	  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
	  $(BENCH_PROXY_FLAGS) io.edgebridge.e2e.bench.ProxyFootprintBenchmark

.PHONY: crds
crds: ## Regenerate the CRD YAML in crds/ from the Java model
	$(MVN) $(MVN_FLAGS) -q test -pl crds -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dcrds.update=true
	@echo "crds/*.yml regenerated; review with git diff and commit."

.PHONY: manifests
manifests: crds tools-check ## Regenerate CRDs and the edge template; render the install bundle to target/manifests/install.yaml
	$(MVN) $(MVN_FLAGS) -q test -pl operator -Dtest=EdgeProxyTemplateTest -Dsurefire.failIfNoSpecifiedTests=false -Dmanifests.update=true
	@mkdir -p target/manifests
	$(KUBECTL) kustomize manifests/install > target/manifests/install.yaml
	@echo "Rendered target/manifests/install.yaml"

.PHONY: clean
clean: ## Remove build output
	$(MVN) $(MVN_FLAGS) -q clean
	rm -rf target

# What the server reports to clients (/version, kubectl version, version checks in client
# libraries): a bare `go build` reports v0.0.0-master, as upstream sets these only in release builds.
K8S_VERSION_PARTS := $(subst ., ,$(patsubst v%,%,$(K8S_VERSION)))
K8S_VERSION_LDFLAGS = $(foreach pkg,k8s.io/component-base/version k8s.io/client-go/pkg/version,\
  -X '$(pkg).gitVersion=$(K8S_VERSION)' -X '$(pkg).gitMajor=$(word 1,$(K8S_VERSION_PARTS))' \
  -X '$(pkg).gitMinor=$(word 2,$(K8S_VERSION_PARTS))' -X '$(pkg).gitTreeState=clean' \
  -X '$(pkg).gitCommit=' -X '$(pkg).buildDate=$(shell date -u +%Y-%m-%dT%H:%M:%SZ)')
# The stamp records what the binaries were built from; any change to it means a rebuild.
CONTROLPLANE_STAMP = $(K8S_VERSION) $(shell cat $(CONTROLPLANE_SRC)/go.mod $(CONTROLPLANE_SRC)/go.sum $(CONTROLPLANE_SRC)/etcd/main.go \
  $(KWOK_SRC)/go.mod $(KWOK_SRC)/go.sum | sha256sum | cut -c1-16)

KUBECONFIG_FLAG := $(if $(CLUSTER),--kubeconfig=$(CLUSTER))

.PHONY: tools-check
tools-check:
	@command -v java >/dev/null || { echo "JDK 17 is required (java not found)"; exit 1; }
	@command -v $(MVN) >/dev/null || { echo "Maven is required (mvn not found)"; exit 1; }
	@command -v $(KUBECTL) >/dev/null || { echo "kubectl is required: the manifest tests render manifests/install with 'kubectl kustomize'"; exit 1; }

.PHONY: cluster-check
cluster-check: tools-check
	@if [ -n "$(CLUSTER)" ] && [ ! -f "$(CLUSTER)" ]; then \
	  echo "CLUSTER=$(CLUSTER) is not a kubeconfig file."; exit 1; fi
	@if ! $(KUBECTL) $(KUBECONFIG_FLAG) config current-context >/dev/null 2>&1; then \
	  echo ""; \
	  echo "No Kubernetes cluster is configured: no current context in $${KUBECONFIG:-~/.kube/config}."; \
	  echo "Point make run at one with KUBECONFIG=<file> or CLUSTER=<kubeconfig file>, or run make demo."; \
	  exit 1; fi
	@if ! $(KUBECTL) $(KUBECONFIG_FLAG) get --raw=/readyz >/dev/null 2>&1; then \
	  echo ""; \
	  echo "The cluster of context '$$($(KUBECTL) $(KUBECONFIG_FLAG) config current-context)' does not answer (GET /readyz failed)."; \
	  echo "Check that it is running and that the kubeconfig points to it."; \
	  exit 1; fi
