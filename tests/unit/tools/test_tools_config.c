// SPDX-License-Identifier: MIT
/* Config files: valid input, every kind of malformed line, overrides, cross-key checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "test.h"

static const char good[] = "# a comment\n"
			   "name = web-1\n"
			   "kernel = /boot/Image\n"
			   "ramdisk=initrd.img   # trailing comment\n"
			   "cmdline = \"console=ttyAMA0 root=/dev/vda # not a comment \\\"q\\\"\"\n"
			   "\n"
			   "memory = 512\n"
			   "vcpus = 2\n"
			   "cpus = 0-1,3\n"
			   "pool = Pool-1\n"
			   "weight = 512\n"
			   "cap = 150\n"
			   "on_crash = preserve\n"
			   "on_reboot = destroy\n";

static void test_good_file(void **state)
{
	struct vmctl_config cfg;
	char err[256] = "";

	config_init(&cfg);
	assert_int_equal(config_parse(&cfg, good, "good.cfg", err, sizeof(err)), 0);
	assert_int_equal(config_check(&cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.name, "web-1");
	assert_string_equal(cfg.kernel, "/boot/Image");
	assert_string_equal(cfg.ramdisk, "initrd.img");
	assert_string_equal(cfg.cmdline, "console=ttyAMA0 root=/dev/vda # not a comment \"q\"");
	assert_int_equal(cfg.memory_mb, 512);
	assert_int_equal(cfg.vcpus, 2);
	assert_int_equal(cfg.cpus.w[0], 0xb);
	assert_string_equal(cfg.pool, "Pool-1");
	assert_int_equal(cfg.weight, 512);
	assert_int_equal(cfg.cap, 150);
	assert_true(cfg.set & CFG_SET_CPUS);
	assert_int_equal(cfg.on_crash, ACTION_PRESERVE);
	assert_int_equal(cfg.on_reboot, ACTION_DESTROY);
	assert_int_equal(cfg.on_poweroff, ACTION_DESTROY); /* default */
}

struct bad {
	const char *text;
	const char *err; /* expected message, exactly */
};

static const struct bad bad[] = {
	{ "name = a\nname = b\n", "t.cfg:2: name: given twice" },
	{ "memory = lots\n", "t.cfg:1: memory: 'lots' is not a number" },
	{ "memory = 3\n", "t.cfg:1: memory: 3 is out of range (4 to 261120)" },
	{ "memory = 5\n", "t.cfg:1: memory: 5 MiB is not a multiple of 2 MiB" },
	{ "memory = -4\n", "t.cfg:1: memory: '-4' is not a number" },
	{ "memory = 99999999999999999999999\n",
	  "t.cfg:1: memory: 99999999999999999999999 is out of range (4 to 261120)" },
	{ "vcpus = 0\n", "t.cfg:1: vcpus: 0 is out of range (1 to 123)" },
	{ "vcpus = 4x\n", "t.cfg:1: vcpus: '4x' is not a number" },
	{ "\n\nfrobnicate = 1\n", "t.cfg:3: unknown key 'frobnicate'" },
	{ "just words\n", "t.cfg:1: expected 'key = value', got 'just words'" },
	{ "= 5\n", "t.cfg:1: '' is not a key" },
	{ "my key = 5\n", "t.cfg:1: 'my key' is not a key" },
	{ "cmdline = \"open\n", "t.cfg:1: unterminated quoted value" },
	{ "cmdline = \"a\" b\n", "t.cfg:1: unexpected text after the quoted value: 'b'" },
	{ "cpus = 3-1\n", "t.cfg:1: cpus: '3-1' is not a CPU list like 0-3,6 or all" },
	{ "cpus = 0,,1\n", "t.cfg:1: cpus: '0,,1' is not a CPU list like 0-3,6 or all" },
	{ "cpus = 999\n", "t.cfg:1: cpus: '999' is not a CPU list like 0-3,6 or all" },
	{ "on_crash = explode\n",
	  "t.cfg:1: on_crash: 'explode' is not destroy, restart or preserve" },
	{ "extratime = maybe\n", "t.cfg:1: extratime: 'maybe' is not yes or no" },
	{ "name = 9lives\n",
	  "t.cfg:1: name: '9lives' must not start with a digit (it would read as an ID)" },
	{ "name = a/b\n", "t.cfg:1: name: 'a/b' may only use letters, digits, '-', '_' and '.'" },
	{ "name =\n", "t.cfg:1: name: must not be empty" },
	{ "weight = 0\n", "t.cfg:1: weight: 0 is out of range (1 to 65535)" },
	{ "period = 5\n", "t.cfg:1: period: 5 is out of range (10 to 10000000)" },
};

static void test_bad_lines(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vmctl_config cfg;
		char err[256] = "";

		config_init(&cfg);
		assert_int_equal(config_parse(&cfg, bad[i].text, "t.cfg", err, sizeof(err)),
				 -BASALT_EINVAL);
		if (strcmp(err, bad[i].err))
			fail_msg("case %zu: got '%s', want '%s'", i, err, bad[i].err);
	}
}

static void test_long_line(void **state)
{
	static char text[4096];
	struct vmctl_config cfg;
	char err[256];

	memset(text, 'x', sizeof(text) - 2);
	text[sizeof(text) - 2] = '\n';
	config_init(&cfg);
	assert_int_equal(config_parse(&cfg, text, "t.cfg", err, sizeof(err)), -BASALT_EINVAL);
	assert_string_equal(err, "t.cfg:1: line longer than 2047 characters");
	config_init(&cfg);
	memcpy(text, "name = ", 7);
	assert_int_equal(config_parse(&cfg, text, "t.cfg", err, sizeof(err)), -BASALT_EINVAL);
}

static void test_check(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "kernel = k\nmemory = 64\n", "config: no 'name'" },
		{ "name = a\nmemory = 64\n", "config: no 'kernel'" },
		{ "name = a\nkernel = k\n", "config: no 'memory' (MiB)" },
		{ "name = a\nkernel = k\nmemory = 64\nbudget = 100\n",
		  "config: 'budget' needs a 'period'" },
		{ "name = a\nkernel = k\nmemory = 64\nperiod = 100\nbudget = 200\n",
		  "config: budget 200 us is longer than the period 100 us" },
		{ "name = a\nkernel = k\nmemory = 64\ncap = 300\nvcpus = 2\n",
		  "config: cap 300% is more than 2 vCPUs can use" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmctl_config cfg;
		char err[256] = "";

		config_init(&cfg);
		assert_int_equal(config_parse(&cfg, cases[i].text, "t.cfg", err, sizeof(err)), 0);
		assert_int_equal(config_check(&cfg, err, sizeof(err)), -BASALT_EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

static void test_overrides(void **state)
{
	struct vmctl_config cfg;
	char err[256];

	config_init(&cfg);
	assert_int_equal(config_parse(&cfg, good, "good.cfg", err, sizeof(err)), 0);
	assert_int_equal(config_override(&cfg, "memory=1024", err, sizeof(err)), 0);
	assert_int_equal(config_override(&cfg, "memory = 2048", err, sizeof(err)), 0);
	assert_int_equal(cfg.memory_mb, 2048); /* overrides may repeat: the last wins */
	assert_int_equal(config_override(&cfg, "cmdline=\"quiet splash\"", err, sizeof(err)), 0);
	assert_string_equal(cfg.cmdline, "quiet splash");
	assert_int_equal(config_override(&cfg, "vcpus", err, sizeof(err)), -BASALT_EINVAL);
	assert_string_equal(err, "command line: 'vcpus' is not key=value");
	assert_int_equal(config_override(&cfg, "color=red", err, sizeof(err)), -BASALT_EINVAL);
	assert_string_equal(err, "command line: unknown key 'color'");
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/vmctl-cfg-XXXXXX", err[512];
	struct vmctl_config cfg;
	char out[600];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	assert_non_null(f);
	fputs("name = x\nkernel = Image\nmemory = 8\n", f);
	fclose(f);
	config_init(&cfg);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	config_path(&cfg, cfg.kernel, out, sizeof(out));
	assert_string_equal(out, "/tmp/Image"); /* relative to the file's directory */
	config_path(&cfg, "/abs/k", out, sizeof(out));
	assert_string_equal(out, "/abs/k");
	f = fopen(path, "wb");
	fwrite("name = x\0\n", 1, 10, f);
	fclose(f);
	config_init(&cfg);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -BASALT_EINVAL);
	assert_non_null(strstr(err, "binary file"));
	unlink(path);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -BASALT_ENOENT);
	assert_non_null(strstr(err, "No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file), cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_long_line), cmocka_unit_test(test_check),
		cmocka_unit_test(test_overrides), cmocka_unit_test(test_load_file),
	};

	return RUN_TESTS(tests);
}
