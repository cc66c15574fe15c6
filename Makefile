# orgctl — common tasks. `make test` is what CI runs (.ci/run).
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS  := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
# A budget in executions, not seconds: with a duration, go1.26's fuzz
# coordinator can fail a clean run with "context deadline exceeded" when the
# time runs out under load (golang/go#75804, fixed in go1.27); a count has no
# deadline to race. 30,000 runs take 5-20 s per target on this project's
# machines. `make fuzz` runs longer, by time.
FUZZTIME ?= 30000x

.PHONY: build release test check fuzz vet fmt example golden bench clean

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/orgctl ./cmd/orgctl

# The release archives (linux, darwin, windows × amd64, arm64) and SHA256SUMS in dist/, exactly as
# the release workflow builds them on a v* tag. TARGETS="linux/amd64" builds one.
release:
	VERSION='$(VERSION)' COMMIT='$(COMMIT)' .ci/release

# Every test: unit, golden, end-to-end (testscript) and short fuzz runs of the loader (and its
# pattern matchers), the CSV importer and the YAML editor.
test: vet
	$(GO) test -count=1 ./...
	$(GO) test -run '^$$' -fuzz FuzzDecodeFile -fuzztime $(FUZZTIME) ./schema
	$(GO) test -run '^$$' -fuzz FuzzPatternMatchers -fuzztime $(FUZZTIME) ./schema
	$(GO) test -run '^$$' -fuzz FuzzImport -fuzztime $(FUZZTIME) ./schema/importcsv
	$(GO) test -run '^$$' -fuzz FuzzSetField -fuzztime $(FUZZTIME) ./schema/yamledit

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# The README's tour: validate the bundled example org.
example:
	$(GO) run ./cmd/orgctl validate examples/acme

# Regenerate golden files; review the diff before committing. Only the packages whose tests
# define -update have goldens; passing the flag to the others would fail at flag parsing.
GOLDEN_PKGS = $(shell grep -rl --include='*_test.go' 'flag\.Bool."update"' . | xargs -n1 dirname | sort -u)
golden:
	$(GO) test -count=1 $(GOLDEN_PKGS) -update

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzDecodeFile -fuzztime 5m ./schema
	$(GO) test -run '^$$' -fuzz FuzzPatternMatchers -fuzztime 1m ./schema
	$(GO) test -run '^$$' -fuzz FuzzImport -fuzztime 5m ./schema/importcsv
	$(GO) test -run '^$$' -fuzz FuzzSetField -fuzztime 5m ./schema/yamledit

# Performance (SPEC §7): generate 10k and 100k-person orgs (BENCH_SIZES="10000
# 100000 1000000" adds 1M) and compare orgctl validate and plan with a bare
# YAML decode and with kubeconform on the same files and schema.
bench:
	bash cmd/orggen/bench.sh

clean:
	rm -rf bin dist
