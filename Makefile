# Basalt — top-level Makefile.
#
#   make [ARCH=arm64|x86_64] [defconfig|menuconfig|all]   build under build/<arch>/
#   make run [ARCH=...]        boot the most complete system in QEMU
#   make check                 unit tests, lint, boot tests; one summary line
#   make check-unit | check-boot | check-lint | check-abi | format | lint | clean
#
# Every target that needs packages first runs scripts/deps.sh, which returns
# at once when everything is installed.

ARCH ?= arm64
ifeq ($(filter $(ARCH),arm64 x86_64 host),)
$(error ARCH must be arm64, x86_64 or host (got '$(ARCH)'))
endif

SRCTREE := $(CURDIR)
O := build/$(ARCH)
PY := /usr/bin/python3
KCONFIG_DIR := /usr/lib/python3/dist-packages
KCONFIG_ENV := ARCH=$(ARCH) KCONFIG_CONFIG=$(O)/.config srctree=$(SRCTREE)
DEPS := scripts/deps.sh
CHECK_DIR := build/check
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.DEFAULT_GOAL := all
.PHONY: all deps defconfig menuconfig olddefconfig savedefconfig config \
	run check check-unit check-boot check-lint check-abi format lint clean distclean \
	unit-build bench help tools check-tools

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

deps:
	$(Q)$(DEPS)

# --- configuration ----------------------------------------------------------
KCONFIG_FILES := $(shell find . -name Kconfig -not -path './build/*' 2>/dev/null)

DO_DEFCONFIG = mkdir -p $(O) && $(KCONFIG_ENV) $(PY) $(KCONFIG_DIR)/defconfig.py \
	--kconfig Kconfig configs/$(ARCH)_defconfig

defconfig:
	$(Q)$(DO_DEFCONFIG)

menuconfig: | $(O)/.config
	$(Q)$(KCONFIG_ENV) $(PY) $(KCONFIG_DIR)/menuconfig.py Kconfig

olddefconfig savedefconfig: | $(O)/.config
	$(Q)$(KCONFIG_ENV) $(PY) $(KCONFIG_DIR)/$@.py --kconfig Kconfig

# A new or changed Kconfig option reaches an existing .config (olddefconfig):
# make re-reads the included .config, so obj-$(CONFIG_NEW) sees it at once.
$(O)/.config: $(KCONFIG_FILES)
	$(Q)if [ -f $@ ]; then $(KCONFIG_ENV) $(PY) $(KCONFIG_DIR)/olddefconfig.py Kconfig >/dev/null; \
	else $(DO_DEFCONFIG); fi
	$(Q)touch $@

$(O)/include/generated/autoconf.h: $(O)/.config $(KCONFIG_FILES)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(KCONFIG_ENV) $(PY) $(KCONFIG_DIR)/genconfig.py --header-path $@ Kconfig
	$(Q)CC="$(CC)" scripts/gen-buildinfo.sh $(O)/.config > $(dir $@)/buildinfo.h

config: $(O)/include/generated/autoconf.h

# --- the hypervisor and the unit tests ----------------------------------------
ifneq ($(ARCH),host)
include scripts/kernel.mk
endif
include tests/guests/arm64/guest.mk
include tests/unit/unit.mk

# --- running and checking -----------------------------------------------------
# arm64: Linux dom0 with its initramfs (GUEST=pv: the PV test guest as dom0).
GUEST ?= linux
run: deps
	$(Q)$(MAKE) --no-print-directory ARCH=$(ARCH) all
	$(Q)if [ "$(ARCH)" = arm64 ] && [ "$(GUEST)" = linux ]; then \
		$(MAKE) --no-print-directory -C tools dom0; fi
	$(Q)GUEST=$(GUEST) scripts/run-qemu.sh $(ARCH)

# make check: every stage records PASS/FAIL lines in $(CHECK_DIR)/results;
# a failing stage never stops the later ones; the summary decides the exit code.
check: deps
	$(Q)rm -rf $(CHECK_DIR) && mkdir -p $(CHECK_DIR)
	-$(Q)$(MAKE) --no-print-directory check-unit
	-$(Q)$(MAKE) --no-print-directory check-lint
	-$(Q)$(MAKE) --no-print-directory check-abi
	-$(Q)$(MAKE) --no-print-directory check-tools
	-$(Q)$(MAKE) --no-print-directory check-boot
	$(Q)$(PY) scripts/summary.py $(CHECK_DIR)/results

check-unit: deps
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)if $(MAKE) --no-print-directory ARCH=host unit-build; then \
		$(PY) scripts/run-unit.py --results $(CHECK_DIR)/results build/host/tests; \
	else echo "FAIL build:unit-tests" >> $(CHECK_DIR)/results; exit 1; fi

BOOT_ARCHES := arm64 x86_64
check-boot: deps
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)for a in $(BOOT_ARCHES); do \
		if $(MAKE) --no-print-directory ARCH=$$a all; then \
			echo "PASS build:$$a" >> $(CHECK_DIR)/results; \
		else echo "FAIL build:$$a" >> $(CHECK_DIR)/results; fi; \
	done
	$(Q)$(PY) tests/boot/run.py --results $(CHECK_DIR)/results --logs $(CHECK_DIR)/boot \
		$(if $(SCENARIO),$(SCENARIO),tests/boot/scenarios/*.toml)

# Formatting and static analysis over the code we write (never fetched code).
LINT_SRCS = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
LINT_DIRS := common sched drivers tests/unit tools/libvmctl tools/vmctl

CPPCHECK := cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	--enable=warning,portability,performance --suppress=missingIncludeSystem \
	-D__BASALT__ -I include -I tests/unit/fake/include \
	-I tools/libvmctl -I tools/linux/uapi -I tools/vmctl \
	--suppress='staticStringCompare:tests/unit/*' --suppress='varFuncNullUB:tests/unit/*'

format:
	$(Q)clang-format -i $(LINT_SRCS)

lint:
	$(Q)clang-format --dry-run -Werror $(LINT_SRCS)
	$(Q)$(CPPCHECK) $(LINT_DIRS)

# Each linter writes one PASS/FAIL line; its output is kept in $(CHECK_DIR).
check-lint: deps
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)if clang-format --dry-run -Werror $(LINT_SRCS) > $(CHECK_DIR)/format.log 2>&1; \
	then echo "PASS lint:clang-format" >> $(CHECK_DIR)/results; \
	else head -40 $(CHECK_DIR)/format.log; echo "FAIL lint:clang-format" >> $(CHECK_DIR)/results; fi
	$(Q)if $(CPPCHECK) $(LINT_DIRS) > $(CHECK_DIR)/cppcheck.log 2>&1; \
	then echo "PASS lint:cppcheck" >> $(CHECK_DIR)/results; \
	else head -40 $(CHECK_DIR)/cppcheck.log; echo "FAIL lint:cppcheck" >> $(CHECK_DIR)/results; fi
	$(Q)scripts/check-cmdline-docs.sh $(CHECK_DIR)/results || true

# Every public ABI header compiles stand-alone as C99 and C++ (host, arm64).
check-abi:
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)scripts/check-public-headers.sh $(CHECK_DIR)/results

# The dom0 toolstack (tools/): the arm64 kernel module and vmctl for the
# host and arm64. check-tools records one PASS/FAIL line per build; the
# toolstack's host unit tests run with check-unit.
tools: deps
	$(Q)$(MAKE) --no-print-directory -C tools all

check-tools: deps
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)for t in module host arm64 dom0; do \
		if $(MAKE) --no-print-directory -C tools $$t > $(CHECK_DIR)/tools-$$t.log 2>&1; \
		then echo "PASS tools:$$t" >> $(CHECK_DIR)/results; \
		else tail -20 $(CHECK_DIR)/tools-$$t.log; echo "FAIL tools:$$t" >> $(CHECK_DIR)/results; fi; \
	done

bench: deps
	$(Q)$(MAKE) --no-print-directory -C tests/bench

clean:
	rm -rf $(O)

distclean:
	rm -rf build
