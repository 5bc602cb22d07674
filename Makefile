# lure — see README.md. `make run` starts everything on embedded defaults;
# `make test` runs every test.

GO      ?= go
BIN     := bin/lure
PKGS    := ./...
DATA    ?= ./data

.PHONY: all build run test test-go test-browser test-kafka lint fmt vet bench eval fuzz clean

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/lure

# The demo notifier lets a fresh `make run` send takedown notices; add more
# flags with RUNFLAGS, e.g. `make run RUNFLAGS='--recrawl 1m'`.
RUNFLAGS ?=
run: build
	$(BIN) run --data-dir $(DATA) --notifier-name "Demo NGO" --notifier-email notices@ngo.example $(RUNFLAGS)

# Every test: unit and end-to-end Go tests (embedded broker), the dashboard
# in headless Chromium, and the pipeline suite against real Apache Kafka
# 3.9 and 4.x. The scripts install what they need (Chromium, playwright-core,
# the Kafka jars from Maven Central).
test: lint test-go test-browser test-kafka

test-go:
	$(GO) test -race -count=1 -timeout 25m $(PKGS)

test-browser:
	scripts/browser/setup.sh
	scripts/browser/test.sh

test-kafka:
	scripts/kafka/test.sh

# `go mod tidy -diff` exits non-zero when go.mod or go.sum would change;
# its output is not a test (on an empty module cache it also prints the
# modules it downloads).
lint: fmt vet
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod/go.sum not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

# One table (classifier vs naive baseline, pipeline, Bleve, crawler, peak
# memory); rewrites BENCHMARKS.md.
bench:
	scripts/bench/bench.sh

# Quality on the labelled corpus and the third-party data sets.
eval:
	scripts/eval/measure.sh

FUZZTIME ?= 20s
fuzz:
	@$(GO) list -f '{{.Dir}}' $(PKGS) | while read d; do \
	  for f in $$(cd $$d && $(GO) test -list '^Fuzz' . 2>/dev/null | grep '^Fuzz'); do \
	    echo "fuzz $$d $$f"; (cd $$d && $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) .) || exit 1; \
	  done; done

clean:
	rm -rf bin
