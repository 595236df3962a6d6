# GoFlow. `make help` lists the targets; `make run` and `make test` are the two
# a newcomer needs.

GO        ?= go
ADDR      ?= localhost:8080
WASM_DIR  := $(shell $(GO) env GOROOT)/lib/wasm
WASM_EXEC := $(WASM_DIR)/go_js_wasm_exec
JS_WASM   := GOOS=js GOARCH=wasm
# The library's packages that also run under js/wasm (Node.js).
WASM_PKGS := ./pipeline/... ./wasm/...

.DEFAULT_GOAL := help
.PHONY: help run site wasm test test-go test-wasm test-e2e test-jetstream lint bench bench-jetstream bench-peers fuzz clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: wasm ## build the playground and serve it on http://localhost:8080 (ADDR=host:port to change)
	$(GO) run ./web/serve -addr $(ADDR) -dir web

site: wasm ## write a self-contained static copy of the playground to site/
	$(GO) run ./web/serve -site site -dir web

wasm: ## build web/main.wasm (and main.wasm.br, main.wasm.gz with Debian's brotli, zopfli, if installed) and copy wasm_exec.js next to it
	$(JS_WASM) $(GO) build -trimpath -ldflags='-s -w' -o web/main.wasm ./wasm
	cp $(WASM_DIR)/wasm_exec.js web/wasm_exec.js
	@if command -v brotli >/dev/null 2>&1; then brotli -q 11 -f -o web/main.wasm.br web/main.wasm; \
	else rm -f web/main.wasm.br; echo "wasm: no brotli (apt-get install brotli): main.wasm is sent gzipped"; fi
	@if command -v zopfli >/dev/null 2>&1; then zopfli --i5 -c web/main.wasm > web/main.wasm.gz; \
	else rm -f web/main.wasm.gz; echo "wasm: no zopfli (apt-get install zopfli): main.wasm is gzipped by the server, 6 % larger"; fi

test: lint test-go test-wasm test-e2e test-jetstream ## run every test: lint, race tests, js/wasm tests, browser tests, JetStream tests

test-go: ## go test -race for the library, the playground logic, the server and the bench adapters
	$(GO) test -race -count=1 ./...
	cd bench && $(GO) test -race -count=1 ./...

test-wasm: ## the library's and the playground's tests again under GOOS=js GOARCH=wasm on Node.js
	$(JS_WASM) $(GO) test -count=1 -exec="$(WASM_EXEC)" $(WASM_PKGS)

test-e2e: wasm node_modules ## browser tests: chromedp drives the page in headless Chromium (axe-core from npm)
	cd e2e && $(GO) test -count=1 -timeout 8m ./...

test-jetstream: ## jetstream/: an in-process nats-server, the goflow-worker binary as real processes (under 2 minutes)
	cd jetstream && $(GO) test -race -count=1 -timeout 5m ./...

TSC := node_modules/.bin/tsc

node_modules: package.json package-lock.json ## install the pinned npm dev dependencies (axe-core, typescript)
	npm ci --no-audit --no-fund
	@touch node_modules

lint: node_modules ## gofmt, go vet natively and for js/wasm (also in e2e/, bench/, jetstream/), and tsc type-checks the page's modules
	@out=$$(gofmt -l . ); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(JS_WASM) $(GO) vet ./...
	cd e2e && $(GO) vet ./...
	cd bench && $(GO) vet ./...
	cd jetstream && $(GO) vet ./...
	@if [ ! -x $(TSC) ]; then echo "lint: $(TSC) is missing: run npm ci (it installs the pinned TypeScript from package-lock.json)"; exit 1; fi
	$(TSC) --noEmit -p tsconfig.json

bench: ## library benchmarks beside the bare-channel baseline, then the peers
	$(GO) test -run '^$$' -bench . -benchmem -count 3 ./pipeline
	cd bench && $(GO) test -run '^$$' -bench . -benchmem -benchtime 10000x -count 3 .

bench-jetstream: ## messages per second through Consume and through a plain consumer loop, 1 and 3 processes
	cd jetstream && $(GO) test -run '^$$' -bench Throughput -benchmem -benchtime 20000x -count 8 .

fuzz: ## fuzz the pipeline for a minute (the seed corpus runs in make test)
	$(GO) test -run '^$$' -fuzz FuzzPipeline -fuzztime 60s ./pipeline

clean: ## remove built files
	rm -rf web/main.wasm web/main.wasm.br web/main.wasm.gz web/wasm_exec.js site e2e/artifacts node_modules
