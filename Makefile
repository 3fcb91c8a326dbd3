# wattlog - a plain Makefile.  Editable variables first.
#
#   make                      build/wattlog-record and build/wattlog
#   make test                 build and run every test (unit, end-to-end)
#   make bench                the benchmarks (scripts/bench/)
#   make demo                 record a real run here, analyze it, write reports/
#   make fuzz FUZZ_SECONDS=N  every fuzz target for N s (clang, libFuzzer)
#   make install PREFIX=DIR   programs, man pages, headers, the Python package wattlog,
#                             completions
#   make deb                  a Debian package in build/deb/
#   make SANITIZE=address,undefined test
#   make WERROR=1             warnings are errors (CI)
#   make check-layers         the layer rule and file cycles (HACKING.md; also `make check`)

CC       ?= cc
PREFIX   ?= /usr/local
SANITIZE ?=
WERROR   ?=
OPT      ?= -O2 -g
FUZZ_SECONDS ?= 60

ifeq ($(SANITIZE),)
BUILD    ?= build
else
BUILD    ?= build/san
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wvla -Wwrite-strings -Wcast-qual -Wno-format-nonliteral
ifneq ($(WERROR),)
WARN += -Werror
endif

SAN_FLAGS :=
ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

CPPFLAGS += -Iinclude -D_GNU_SOURCE -MMD -MP
CFLAGS   += -std=c11 $(OPT) $(WARN) $(SAN_FLAGS)
LDFLAGS  += $(SAN_FLAGS)

PKGS      := gsl cairo json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -lpthread
CRIT_LIBS  := $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

# The recorder links libc only (dlopen is in libc since glibc 2.34).
RECORD_SRCS := $(wildcard src/common/*.c src/trace/*.c src/record/*.c src/record/source/*.c)
RECORD_MAIN := src/record/main.c
ANALYZE_SRCS := $(wildcard src/common/*.c src/trace/*.c src/analyze/*/*.c src/render/*.c src/cmd/*.c)
LIB_SRCS := $(sort $(filter-out $(RECORD_MAIN),$(RECORD_SRCS)) $(ANALYZE_SRCS))

RECORD_OBJS := $(RECORD_SRCS:%.c=$(BUILD)/obj/%.o)
ANALYZE_OBJS := $(ANALYZE_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/src/wattlog.o
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FAKE_NVML := $(if $(wildcard tests/fake/fake_nvml.c),$(BUILD)/tests/libfake-nvml.so \
	$(BUILD)/tests/libfake-nvml-nofields.so $(BUILD)/tests/libfake-nvml-old.so)
FAKE_SRC := tests/fake/fake_nvml.c tests/fake/fake_nvml_script.h src/record/source/nvml_api.h
TEST_HELPERS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/%,$(wildcard tests/helpers/*.c))
TEST_SHIMS := $(patsubst tests/shims/%.c,$(BUILD)/tests/%.so,$(wildcard tests/shims/*.c))
# Every fuzz target, built without libFuzzer around tests/fuzz/replay.c, so
# `make test` replays the saved seeds and crash inputs (fixtures/fuzz/NAME/).
FUZZ_REPLAY := $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/tests/replay_%,$(wildcard tests/fuzz/fuzz_*.c))

BINS := $(BUILD)/wattlog-record $(BUILD)/wattlog

.PHONY: all test unit e2e bench demo fuzz install deb clean check check-layers
all: $(BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The analyzer's objects may include third-party headers.
$(BUILD)/obj/src/analyze/%.o $(BUILD)/obj/src/render/%.o $(BUILD)/obj/src/cmd/%.o: CPPFLAGS += $(PKG_CFLAGS)

$(BUILD)/wattlog-record: $(RECORD_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/wattlog: $(ANALYZE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/libwattlog.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libwattlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		$(BUILD)/libwattlog.a $(PKG_LIBS) $(CRIT_LIBS) $(LDFLAGS)

$(BUILD)/tests/libfake-nvml.so: $(FAKE_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -fPIC -shared -o $@ $< $(LDFLAGS)

$(BUILD)/tests/libfake-nvml-nofields.so: $(FAKE_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DFAKE_NO_FIELDS -Wno-missing-prototypes -fPIC -shared -o $@ $< $(LDFLAGS)

$(BUILD)/tests/libfake-nvml-old.so: $(FAKE_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DFAKE_OLD_ABI -Wno-missing-prototypes -fPIC -shared -o $@ $< $(LDFLAGS)

$(BUILD)/tests/test_source_nvml $(BUILD)/tests/test_source_nvml_faults: tests/unit/nvml_fx.h

$(BUILD)/tests/%.so: tests/shims/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -fPIC -shared -o $@ $< -ldl

$(BUILD)/tests/%: tests/helpers/%.c $(BUILD)/libwattlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		$(BUILD)/libwattlog.a $(PKG_LIBS) $(LDFLAGS)

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libwattlog.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< tests/fuzz/replay.c \
		$(BUILD)/libwattlog.a $(PKG_LIBS) $(LDFLAGS)

TEST_DEPS := $(BINS) $(UNIT_BINS) $(FAKE_NVML) $(TEST_HELPERS) $(TEST_SHIMS) $(FUZZ_REPLAY)

test: $(TEST_DEPS)
	@WL_BUILD=$(BUILD) sh tests/run.sh

unit: $(UNIT_BINS) $(FAKE_NVML)
	@WL_BUILD=$(BUILD) sh tests/run.sh unit

e2e: $(TEST_DEPS)
	@WL_BUILD=$(BUILD) sh tests/run.sh e2e

# The architecture's rules (HACKING.md): the layer rule and no new cycle
# between source files.  Also run by `make test` (t01).
check: check-layers
check-layers: $(BINS)
	@sh scripts/check/layers.sh
	@python3 scripts/check/file-cycles.py $(BUILD)/obj scripts/check/cycles.known >/dev/null && \
		echo "file-cycles: no cycle beyond scripts/check/cycles.known"

bench: $(TEST_DEPS)
	@WL_BUILD=$(BUILD) sh scripts/bench/run.sh

demo: $(BINS)
	@WL_BUILD=$(BUILD) sh scripts/demo.sh

fuzz:
	@WL_BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# make install PREFIX=DIR DESTDIR=ROOT: stripped programs, a manual page per
# command (scripts/mkman.sh, from the programs' --help), the marker and trace
# format headers, the Python package, the independent trace reader as
# wattlog-dump, and bash completions.
VERSION := $(shell sed -n 's/^\#define WL_VERSION "\(.*\)"/\1/p' include/wattlog/version.h)
PYDIR ?= $(PREFIX)/lib/python3/dist-packages
PY_PKG := $(wildcard python/wattlog/*.py)
STRIP ?= strip

install: $(BINS)
	@rm -rf $(BUILD)/man
	sh scripts/mkman.sh $(BUILD) $(BUILD)/man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/include/wattlog $(DESTDIR)$(PYDIR) \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 -s --strip-program=$(STRIP) $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 755 scripts/wlog_dump.py $(DESTDIR)$(PREFIX)/bin/wattlog-dump
	install -m 644 $(BUILD)/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 include/wattlog/marker.h include/wattlog/trace_format.h \
		$(DESTDIR)$(PREFIX)/include/wattlog/
ifneq ($(PY_PKG),)
	install -d $(DESTDIR)$(PYDIR)/wattlog
	install -m 644 $(PY_PKG) $(DESTDIR)$(PYDIR)/wattlog/
endif
	install -m 644 scripts/wattlog_marker.py $(DESTDIR)$(PYDIR)/
	install -m 644 scripts/completion/wattlog.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wattlog
	install -m 644 scripts/completion/wattlog.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wattlog-record

# make deb: a Debian package (debian/, debhelper) built from a copy of the
# tree in $(BUILD)/deb, so nothing is written beside the checkout; the .deb
# lands in $(BUILD)/deb/.
deb:
	rm -rf $(BUILD)/deb
	mkdir -p $(BUILD)/deb/wattlog-$(VERSION)
	tar -cf - --exclude=./build --exclude=./.git . | tar -C $(BUILD)/deb/wattlog-$(VERSION) -xf -
	cd $(BUILD)/deb/wattlog-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls $(BUILD)/deb/*.deb

clean:
	rm -rf build

# Dependency files of every object, test, helper and shim (-MMD -MP).
-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null)
