// SPDX-License-Identifier: MIT
/*
 * dom0's end-to-end script (tools/dom0/selftest.sh) run on the build machine
 * against the fake hypervisor (VMCTL_FAKE=FILE keeps its state between the
 * script's vmctl calls), so the script itself is known to be right before it
 * meets the real hypervisor: it passes on a sane system and fails when a
 * step fails.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static char dir[64];

static void write_file(const char *name, const char *text, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* Run the script with the small config given; returns its exit status, output in *log. */
static int selftest_env(const char *env, const char *small_cfg, char *log, size_t len)
{
	char cmd[PATH_MAX * 3], bin[PATH_MAX];
	FILE *f;
	size_t n;
	int rc;

	assert_non_null(realpath("build/host/tools/bin", bin));
	write_file("small.cfg", small_cfg, strlen(small_cfg));
	snprintf(cmd, sizeof(cmd),
		 "rm -rf %1$s/run %1$s/log %1$s/hv.state; cd %1$s && %4$s PATH=%2$s:$PATH "
		 "VMCTL_FAKE=%1$s/hv.state VMCTL_STATE_DIR=%1$s/run VMCTL_LOG_DIR=%1$s/log "
		 "SELFTEST_CFG=%1$s/demo.cfg SELFTEST_SMALL_CFG=%1$s/small.cfg "
		 "SELFTEST_MARKER='vCPU 0 entered' SELFTEST_TIMEOUT=2 SELFTEST_CYCLES=5 "
		 "SELFTEST_PAUSE=0 "
		 "TMPDIR=%1$s "
		 "ASAN_OPTIONS=detect_leaks=1 sh %3$s/tools/dom0/selftest.sh > %1$s/out 2>&1",
		 dir, bin, getenv("PWD") ? getenv("PWD") : ".", env);
	rc = system(cmd);
	snprintf(cmd, sizeof(cmd), "%s/out", dir);
	f = fopen(cmd, "r");
	assert_non_null(f);
	n = fread(log, 1, len - 1, f);
	log[n] = '\0';
	fclose(f);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int selftest(const char *small_cfg, char *log, size_t len)
{
	return selftest_env("", small_cfg, log, len);
}

static void test_selftest_passes(void **state)
{
	static char log[16384];
	int rc = selftest("name = small\nkernel = tiny.bin\nmemory = 16\n", log, sizeof(log));

	if (rc != 0 || !strstr(log, "selftest: PASS"))
		fail_msg("selftest failed (%d):\n%s", rc, log);
	assert_non_null(strstr(log, "selftest: ok - demo reached its shell"));
	assert_non_null(strstr(log, "selftest: ok - 5 create/destroy cycles: free pages back at"));
}

/* As the credit2 boot scenario runs it: the demo in a new credit2 pool on CPU 1. */
static void test_selftest_in_a_pool(void **state)
{
	static char log[16384];
	int rc = selftest_env("SELFTEST_POOL_SCHED=credit2 SELFTEST_POOL_CPUS=1 SELFTEST_PIN_CPU=1",
			      "name = small\nkernel = tiny.bin\nmemory = 16\n", log, sizeof(log));

	if (rc != 0 || !strstr(log, "selftest: PASS"))
		fail_msg("selftest failed (%d):\n%s", rc, log);
	assert_non_null(strstr(log, "selftest: ok - create demo with 2 vCPUs in Pool-1"));
	assert_non_null(strstr(log, "selftest: ok - vCPU 1 pinned to CPU 1"));
	assert_non_null(strstr(log, "selftest: ok - sched-credit2 -w"));
	assert_non_null(strstr(log, "selftest: ok - cpupool-destroy Pool-1"));
}

static void test_selftest_fails(void **state)
{
	static char log[16384];
	/* Cycles cannot create the small domain: the script must say so and fail. */
	int rc = selftest("name = small\nkernel = missing.bin\nmemory = 16\n", log, sizeof(log));

	assert_int_equal(rc, 1);
	assert_non_null(strstr(log, "selftest: FAIL - create small0"));
	assert_non_null(strstr(log, "selftest: FAIL (10)")); /* 5 creates, 5 destroys */
}

static int setup(void **state)
{
	static const char tiny[8] = { 0x7f,	  0x20,	      0x03,	  (char)0xd5,
				      (char)0xff, (char)0xff, (char)0xff, 0x17 };

	strcpy(dir, "/tmp/vmctl-selftest-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	write_file("tiny.bin", tiny, sizeof(tiny));
	write_file("demo.cfg", "name = demo\nkernel = tiny.bin\nmemory = 16\nvcpus = 2\n", 51);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest_passes),
		cmocka_unit_test(test_selftest_in_a_pool),
		cmocka_unit_test(test_selftest_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
