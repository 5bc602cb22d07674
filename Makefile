# lure — see README.md. `make run` starts everything on embedded defaults;
# `make test` runs every test.

GO      ?= go
BIN     := bin/lure
PKGS    := ./...
DATA    ?= ./data

.PHONY: all build run test test-go lint fmt vet bench fuzz clean

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/lure

run: build
	$(BIN) run --data-dir $(DATA)

test: lint test-go

test-go:
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

lint: fmt vet
	@test -z "$$($(GO) mod tidy -diff 2>&1)" || { echo "go.mod/go.sum not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

FUZZTIME ?= 20s
fuzz:
	@$(GO) list -f '{{.Dir}}' $(PKGS) | while read d; do \
	  for f in $$(cd $$d && $(GO) test -list '^Fuzz' . 2>/dev/null | grep '^Fuzz'); do \
	    echo "fuzz $$d $$f"; (cd $$d && $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) .) || exit 1; \
	  done; done

clean:
	rm -rf bin
