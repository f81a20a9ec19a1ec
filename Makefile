# Debrief's build, test and benchmark entry points. `make test` is the whole
# suite; .ci/run calls it after installing what a clean machine lacks.

GO ?= go
FUZZTIME ?= 10s

.PHONY: all build test vet fuzz bench sample clean

all: build

build:
	$(GO) build -o bin/debrief ./cmd/debrief

sample:
	$(GO) run ./cmd/debrief timeline examples/search-latency

vet:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

# The race detector runs on everything: the timeline and the parsers are
# concurrent, and the rest is cheap. It touches shadow memory for every
# allocation, so hugeheap's check that no page is touched runs in a normal
# build too.
test: vet
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 ./internal/hugeheap
	./scripts/fuzz.sh $(FUZZTIME)

fuzz:
	./scripts/fuzz.sh 60s

bench:
	./scripts/bench.sh
	./scripts/bench-lint.sh
	./scripts/bench-web.sh

clean:
	rm -rf bin bench/out
