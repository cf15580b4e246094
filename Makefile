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

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Compile and package every module (no tests)
	$(MVN) $(MVN_FLAGS) package -DskipTests

.PHONY: test
test: tools-check ## Run the whole test suite (unit, mock-server and manifest tests)
	$(MVN) $(MVN_FLAGS) verify

.PHONY: run
run: ## Run the operator against the cluster of CLUSTER=<kubeconfig> or the current kubeconfig
	@$(MAKE) --no-print-directory cluster-check
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -pl operator -am
	@echo "Installing the EdgeBridge CRDs into $$($(KUBECTL) $(KUBECONFIG_FLAG) config current-context) ..."
	$(KUBECTL) $(KUBECONFIG_FLAG) apply --server-side --force-conflicts -k crds
	@echo "Starting the operator (Ctrl-C stops it) ..."
	$(if $(CLUSTER),KUBECONFIG=$(CLUSTER)) java -jar $(OPERATOR_JAR)

.PHONY: crds
crds: ## Regenerate the CRD YAML in crds/ from the Java model
	$(MVN) $(MVN_FLAGS) -q test -pl crds -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dcrds.update=true
	@echo "crds/*.yml regenerated; review with git diff and commit."

.PHONY: manifests
manifests: crds tools-check ## Regenerate CRDs and render the install bundle to target/manifests/install.yaml
	@mkdir -p target/manifests
	$(KUBECTL) kustomize manifests/install > target/manifests/install.yaml
	@echo "Rendered target/manifests/install.yaml"

.PHONY: clean
clean: ## Remove build output
	$(MVN) $(MVN_FLAGS) -q clean
	rm -rf target

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
	  echo "Point make run at one with KUBECONFIG=<file> or CLUSTER=<kubeconfig file>."; \
	  echo "(A self-contained local demo with simulated edge sites is not built yet.)"; \
	  exit 1; fi
	@if ! $(KUBECTL) $(KUBECONFIG_FLAG) get --raw=/readyz >/dev/null 2>&1; then \
	  echo ""; \
	  echo "The cluster of context '$$($(KUBECTL) $(KUBECONFIG_FLAG) config current-context)' does not answer (GET /readyz failed)."; \
	  echo "Check that it is running and that the kubeconfig points to it."; \
	  exit 1; fi
