# Thin wrapper around Meson for the README's commands.
#   make            build (build/)
#   make check      bootstrap, build, full test suite, then again under
#                   ASan+UBSan (build-asan/); ends with "N passed, N failed"
#   make demo       bootstrap, build, run the main job on bundled data
#   make bench      benchmarks against the peer tools (docs/PERFORMANCE.md)
#   make install PREFIX=/usr/local DESTDIR=
#   make fuzz NAME=prefix SECONDS=60   libFuzzer run (clang)
#   make golden-update                 rewrite golden outputs (review!)

PREFIX	?= /usr/local
DESTDIR	?=
BUILD	?= build
ASAN	?= build-asan
MESON	?= meson
SHARED	?= $(CURDIR)/../shared/data
WERROR	?= $(if $(CI),true,false)

.PHONY: all bootstrap setup check check-plain check-asan demo bench install \
	fuzz golden-update clean

all: setup
	ninja -C $(BUILD)

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --prefix=$(PREFIX) -Dwerror=$(WERROR) \
		-Dshared_data=$(SHARED)

$(ASAN)/build.ninja:
	$(MESON) setup $(ASAN) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug -Dwerror=$(WERROR) \
		-Dshared_data=$(SHARED)

setup: $(BUILD)/build.ninja

check: bootstrap
	@scripts/check

demo: bootstrap all
	@scripts/demo

bench: bootstrap all
	@scripts/bench

install: all
	$(MESON) configure $(BUILD) --prefix=$(PREFIX) >/dev/null
	DESTDIR=$(DESTDIR) $(MESON) install -C $(BUILD) --quiet

fuzz: bootstrap
	@scripts/fuzz $(NAME) $(SECONDS)

golden-update: all
	MANRS_BIN=$(CURDIR)/$(BUILD)/src/cmd/manrs/manrs \
	MANRS_SHARED_DATA=$(SHARED) MANRS_SOURCE_ROOT=$(CURDIR) \
		python3 tests/golden/run.py --update tests/golden/*/

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz
