# The two commands of the README (make demo, make test) and their helpers.
# Every target installs what is missing first, so a fresh Debian 12 machine needs nothing by hand.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
# CI builds with warnings as errors.
CMAKE_ARGS ?= $(if $(CI),-DUIW_WERROR=ON,)

.PHONY: deps configure build test test-asan demo bench soak fuzz synth eval train format clean

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The suite again under ASan + UBSan in its own build folder. ASAN_TESTS="a_test b_test" builds
# and runs only those (.ci/run's subset); unset, every test.
ASAN_DIR ?= build-asan
# -O1 and line tables only: what sanitizer reports need, and compiles take 30 % less time with
# objects a third the size (measured on harness/run_command.cpp: 18 s vs 26 s, 3.8 vs 10.5 MB).
ASAN_OPT_FLAGS ?= -O1 -g1 -DNDEBUG
empty :=
space := $(empty) $(empty)
test-asan: deps
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(ASAN_OPT_FLAGS)" -DUIW_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS) $(if $(ASAN_TESTS),--target uiwitness uiwitness-sim $(ASAN_TESTS),)
	@cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS) $(if $(ASAN_TESTS),-R '^($(subst $(space),|,$(strip $(ASAN_TESTS))))$$',)

demo: build
	@scripts/demo $(BUILD_DIR)

bench: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target adb_latency detect_latency farm_throughput uiwitness uiwitness-sim
	@$(BUILD_DIR)/bin/adb_latency
	@$(BUILD_DIR)/bin/detect_latency
	@$(BUILD_DIR)/bin/farm_throughput --jobs 16

# 10,000 steps against a simulator (about 45 minutes here): memory, descriptors, child processes.
SOAK_STEPS ?= 10000
soak: build
	@$(BUILD_DIR)/bin/soak --steps $(SOAK_STEPS)

# libFuzzer targets (fuzz/, clang, build-fuzz/), 20 s each; FUZZ_SECONDS=600 make fuzz for the
# long run. Exits 1 on a crash and prints the input.
fuzz: deps
	@scripts/fuzz

# Labelled synthetic phone screens (uiwitness-synth): images, their dumps and COCO labels in
# build/synth; the same SYNTH_SEED writes the same bytes.
SYNTH_COUNT ?= 2000
SYNTH_SEED ?= 17
synth: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target uiwitness-synth
	@$(BUILD_DIR)/bin/uiwitness-synth --out $(BUILD_DIR)/synth --count $(SYNTH_COUNT) --seed $(SYNTH_SEED)

# Every detection figure of the README, each with the learned selection widgets and with the
# hand-set baseline: the generated suite, the simulator's fixture apps as pairs and, when
# ../shared/data is there, AidUI's dev screens and the real pairs (about 30 minutes here). Not
# part of `make test`.
eval: build synth
	@scripts/eval-detectors $(BUILD_DIR)

# The learned selection widget classifier (train/README.md): screens generated at their own seed
# (never the measured suite's), patches cut where the run-time search looks, a small CNN trained
# with Debian's PyTorch, written to models/selection_widget.onnx. Not part of `make test`, which
# uses the committed model.
TRAIN_COUNT ?= 3000
TRAIN_SEED ?= 101
TRAIN_DIR ?= $(BUILD_DIR)/train
train: configure
	@scripts/install-deps --train
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target uiwitness-synth uiwitness-widget-patches
	@$(BUILD_DIR)/bin/uiwitness-synth --out $(TRAIN_DIR)/screens --count $(TRAIN_COUNT) --seed $(TRAIN_SEED)
	@$(BUILD_DIR)/bin/uiwitness-widget-patches $(TRAIN_DIR)/screens/labels.coco.json --out $(TRAIN_DIR)/patches
	@/usr/bin/python3 train/train_selection_widget.py $(TRAIN_DIR)/patches models/selection_widget.onnx

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR)
