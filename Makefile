# The front door. `make run` and `make test` work on a fresh Debian 12 machine:
# each installs what is missing, configures, builds, then runs or tests.
JOBS ?= 2
BUILD ?= build
CMAKE_FLAGS ?=

PREFIX ?= /usr/local

.PHONY: all deps build run test install bench asan tsan clang fuzz clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

run: build
	examples/tour.sh $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) --timeout 600

# weft in PREFIX/bin, the library written in Weft script in PREFIX/share/weft/lib.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

bench:
	@scripts/install-deps.sh --bench
	$(MAKE) build BUILD=build-release CMAKE_FLAGS=-DCMAKE_BUILD_TYPE=Release
	bench/run.sh build-release

asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DWEFT_SANITIZE=address -DCMAKE_BUILD_TYPE=Debug"

tsan:
	$(MAKE) test BUILD=build-tsan CMAKE_FLAGS="-DWEFT_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo"

# The same tests built with Debian's clang (the project builds warning-free with both).
clang:
	$(MAKE) test BUILD=build-clang CMAKE_FLAGS="-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++"

# Each fuzzer for 60 s from its seeds (needs clang); finds go to build-fuzz/corpus.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-fuzz -j$(JOBS) --target frame_fuzz handshake_fuzz
	mkdir -p build-fuzz/corpus/frame build-fuzz/corpus/handshake
	build-fuzz/tests/fuzz/frame_fuzz -max_total_time=60 build-fuzz/corpus/frame tests/fuzz/frame_corpus
	build-fuzz/tests/cluster/handshake_fuzz -max_total_time=60 build-fuzz/corpus/handshake tests/fuzz/handshake_corpus

clean:
	rm -rf build build-release build-asan build-tsan build-clang build-fuzz
