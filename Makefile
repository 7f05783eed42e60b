# ksleuth — Linux kernel log forensics.
#
#   make run     install missing system packages, build release, analyse the bundled sample logs
#   make test    run the whole test suite
#   make bench   benchmark against cat, wc, grep and rg on a 1 GiB generated log, then
#                symbolization against addr2line and llvm-symbolizer (make bench-symbolize alone)
#   make lint    check formatting (swift format lint --strict)

SWIFT       ?= swift
SYSTEM_PKGS := libpcre2-dev zlib1g-dev liblzma-dev libzstd-dev
BENCH_SIZE  ?= 1G
BENCH_RATE  ?= 10

.PHONY: all build release run test bench bench-symbolize lint format deps clean

all: build

# Installs the C libraries' development packages when one is missing (needs root or sudo).
deps:
	@missing=""; for p in $(SYSTEM_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product ksleuth

run: release
	.build/release/ksleuth analyze $$(find corpora -name '*.log' | sort)

test: deps
	$(SWIFT) test --parallel

bench: release
	python3 bench/run_benchmark.py --size $(BENCH_SIZE) --rate $(BENCH_RATE) --decoys 20 --binary .build/release/ksleuth
	python3 bench/symbolize_benchmark.py --ksleuth .build/release/ksleuth
	python3 bench/hostile_benchmark.py --binary .build/release/ksleuth

bench-symbolize: release
	python3 bench/symbolize_benchmark.py --ksleuth .build/release/ksleuth

lint:
	$(SWIFT) format lint --strict -r Package.swift Sources Tests

format:
	$(SWIFT) format -i -r Package.swift Sources Tests

clean:
	rm -rf .build bench-work
