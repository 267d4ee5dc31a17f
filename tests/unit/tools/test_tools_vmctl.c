// SPDX-License-Identifier: MIT
/*
 * vmctl's argument handling and output, run in-process against the fake
 * hypervisor: exit codes, one-line errors, --json, name-or-ID addressing,
 * and that help, the verb table and the man page agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fake.h"
#include "test.h"

struct env {
	struct fake_hv *hv;
	struct vmctl *h;
	char dir[64];
	char logs[96];
	char cfg[128];
	char *out, *err;
	size_t out_len, err_len;
	int in_fd; /* console input for run() */
};

static struct env *E;

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char path[128];
	static char kernel[8192];

	if (!e)
		return -1;
	strcpy(e->dir, "/tmp/vmctl-test-XXXXXX");
	if (!mkdtemp(e->dir)) {
		free(e);
		return -1;
	}
	e->hv = fake_hv_new(4, 1u << 20);
	e->h = fake_hv_open(e->hv);
	snprintf(e->logs, sizeof(e->logs), "%s/logs", e->dir);
	snprintf(path, sizeof(path), "%s/Image", e->dir);
	write_file(path, kernel, sizeof(kernel)); /* a raw image */
	snprintf(e->cfg, sizeof(e->cfg), "%s/web.cfg", e->dir);
	write_file(e->cfg, "name = web\nkernel = Image\nmemory = 16\nvcpus = 2\n", 47);
	E = e;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[160];

	vmctl_close(e->h);
	fake_hv_free(e->hv);
	free(e->out);
	free(e->err);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

/* Run "vmctl ARGS" (space-separated; %C is the config path); keeps stdout/stderr. */
static int run(const char *args)
{
	char buf[512], *argv[32], *tok, *save = NULL;
	int argc = 0, rc;
	FILE *out, *err;
	struct cli c = { .h = E->h, .prog = "vmctl", .in_fd = E->in_fd };

	free(E->out);
	free(E->err);
	out = open_memstream(&E->out, &E->out_len);
	err = open_memstream(&E->err, &E->err_len);
	c.out = out;
	c.err = err;
	c.state_dir = E->dir;
	c.log_dir = E->logs;
	snprintf(buf, sizeof(buf), "vmctl %s", args);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 31; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(tok, "%C") ? tok : E->cfg;
	argv[argc] = NULL;
	rc = vmctl_run(&c, argc, argv);
	fclose(out);
	fclose(err);
	return rc;
}

#define OUT_HAS(s) assert_non_null(strstr(E->out, s))

/* The last output is valid JSON (one document per line: top prints one per sample). */
static void assert_json(void)
{
	char path[128], cmd[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/out.json", E->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(E->out, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys\nfor l in open(sys.argv[1]): json.loads(l)' %s",
		 path);
	if (system(cmd) != 0)
		fail_msg("not JSON: %s", E->out);
}
#define ERR_IS(s) assert_string_equal(E->err, s)

static void test_help_matches_table(void **state)
{
	char cmd[64], *man = NULL;
	size_t len = 0;
	FILE *f;

	char *help;

	assert_int_equal(run("help"), EXIT_OK);
	help = strdup(E->out);
	for (unsigned int i = 0; i < vmctl_nr_verbs; i++) {
		const struct verb *v = &vmctl_verbs[i];
		char want[64];

		snprintf(want, sizeof(want), "\n  %-20s %s\n", v->name, v->summary);
		assert_non_null(strstr(help, want));
		snprintf(cmd, sizeof(cmd), "%s --help", v->name);
		assert_int_equal(run(cmd), EXIT_OK);
		snprintf(want, sizeof(want), "usage: vmctl %s", v->name);
		assert_memory_equal(E->out, want, strlen(want));
		assert_int_equal(strstr(E->out, "--json") != NULL, v->read);
		ERR_IS("");
	}
	free(help);
	assert_int_equal(run("help list"), EXIT_OK);
	OUT_HAS("-l, --long");
	assert_int_equal(run("help frob"), EXIT_USAGE);
	/* The man page documents every verb (a .SS heading each). */
	f = fopen("docs/vmctl.8", "r");
	if (!f)
		fail_msg("docs/vmctl.8 not found (run from the repository root)");
	assert_true(getdelim(&man, &len, '\0', f) > 0);
	fclose(f);
	for (unsigned int i = 0; i < vmctl_nr_verbs; i++) {
		char heading[64];

		snprintf(heading, sizeof(heading), ".SS %s", vmctl_verbs[i].name);
		if (!strstr(man, heading)) {
			free(man);
			fail_msg("docs/vmctl.8 has no section for '%s'", vmctl_verbs[i].name);
		}
	}
	free(man);
}

static void test_usage_errors(void **state)
{
	assert_int_equal(run("frobnicate"), EXIT_USAGE);
	ERR_IS("vmctl: unknown verb 'frobnicate' (see 'vmctl help')\n");
	assert_int_equal(run("pause"), EXIT_USAGE);
	ERR_IS("vmctl pause: expected one domain (name or ID) (see 'vmctl help pause')\n");
	assert_int_equal(run("pause --bogus 0"), EXIT_USAGE);
	ERR_IS("vmctl pause: bad option '--bogus' (see 'vmctl help pause')\n");
	assert_int_equal(run("pause --json 0"), EXIT_USAGE);
	assert_int_equal(run("shutdown -w -t never 0"), EXIT_USAGE);
	assert_int_equal(run("mem-set 0 0"), EXIT_USAGE);
	assert_int_equal(run("vcpu-pin 0 0 9-1"), EXIT_USAGE);
	assert_int_equal(run("vcpu-pin 0 7 all"), EXIT_USAGE); /* dom0 has 4 vCPUs */
	assert_int_equal(run("sched-arinc653 -m 1000 0:0"), EXIT_USAGE);
	assert_int_equal(run("sched-credit -w 5"), EXIT_USAGE);
	assert_int_equal(run("create"), EXIT_USAGE);
	assert_int_equal(run("cpupool-create -s fifo"), EXIT_USAGE);
}

static void test_not_found(void **state)
{
	assert_int_equal(run("info nosuch"), EXIT_NOTFOUND);
	ERR_IS("vmctl: no domain named 'nosuch'\n");
	assert_int_equal(run("destroy 17"), EXIT_NOTFOUND);
	ERR_IS("vmctl: no domain '17'\n");
	assert_int_equal(run("cpupool-destroy Pool-5"), EXIT_NOTFOUND);
	assert_int_equal(run("cpupool-migrate 0 5"), EXIT_NOTFOUND);
}

static void test_create_lifecycle(void **state)
{
	assert_int_equal(run("create %C vcpus=3"), EXIT_OK);
	assert_string_equal(E->out, "created domain web (ID 1)\n");
	assert_int_equal(run("create %C"), EXIT_FAILED);
	ERR_IS("vmctl: a domain named 'web' already exists (ID 1)\n");
	assert_int_equal(run("list --json"), EXIT_OK);
	OUT_HAS("{\"id\": 1, \"name\": \"web\", \"state\": \"runnable\", \"memory_kib\": 16384");
	OUT_HAS("\"vcpus\": 3");
	assert_int_equal(run("list web"), EXIT_OK);
	assert_null(strstr(E->out, "Domain-0"));
	OUT_HAS("web");
	assert_int_equal(run("pause web"), EXIT_OK);
	assert_int_equal(run("info 1"), EXIT_OK);
	OUT_HAS("state:       paused");
	assert_int_equal(run("unpause web"), EXIT_OK);
	assert_int_equal(run("unpause web"), EXIT_FAILED);
	ERR_IS("vmctl: unpause domain 1: already in that state (EALREADY)\n");
	assert_int_equal(run("vcpu-pin web all 2-3"), EXIT_OK);
	assert_int_equal(run("vcpu-list web --json"), EXIT_OK);
	OUT_HAS("\"vcpu\": 2, \"hard_affinity\": \"2-3\"");
	OUT_HAS("\"vcpu\": 0, \"hard_affinity\": \"2-3\", \"soft_affinity\": \"all\", "
		"\"state\": \"running\", \"cpu\": 0, \"online\": true");
	OUT_HAS("\"vcpu\": 1, \"hard_affinity\": \"2-3\", \"soft_affinity\": \"all\", "
		"\"state\": \"offline\", \"cpu\": 1, \"online\": false");
	assert_int_equal(run("vcpu-list web"), EXIT_OK);
	OUT_HAS("State     CPU    Time(s)");
	OUT_HAS("web                      1     0 running     0        0.0 2-3              all\n");
	assert_int_equal(run("sched-credit -d web -w 512 -c 50"), EXIT_OK);
	assert_int_equal(run("sched-credit -d web --json"), EXIT_OK);
	assert_string_equal(E->out,
			    "[{\"id\": 1, \"name\": \"web\", \"weight\": 512, \"cap\": 50}]\n");
	assert_int_equal(run("sched-credit2 -d web -w 5"), EXIT_FAILED); /* pool runs credit */
	assert_int_equal(run("mem-set web 32"), EXIT_OK);
	assert_int_equal(E->hv->dom[1].info.max_pages, 32 * 256);
	/* shutdown asks the guest: a paused one cannot answer yet */
	assert_int_equal(run("pause web"), EXIT_OK);
	assert_int_equal(run("shutdown -w -t 1 web"), EXIT_TIMEOUT);
	assert_int_equal(E->hv->dom[1].shutdown_request, 1 + BASALT_SHUTDOWN_poweroff);
	assert_int_equal(run("reboot web"), EXIT_OK); /* a later ask replaces it */
	assert_int_equal(E->hv->dom[1].shutdown_request, 1 + BASALT_SHUTDOWN_reboot);
	assert_int_equal(run("unpause web"), EXIT_OK);
	assert_int_equal(run("shutdown -w -t 5 web"), EXIT_OK); /* the fake guest obeys */
	assert_int_equal(run("info web --json"), EXIT_OK);
	OUT_HAS("\"shutdown_reason\": \"poweroff\"");
	assert_int_equal(run("reboot web"), EXIT_FAILED); /* too late to ask */
	ERR_IS("vmctl: ask domain 1 to reboot: in use (EBUSY)\n");
	assert_int_equal(run("destroy web"), EXIT_OK);
	assert_int_equal(run("info web"), EXIT_NOTFOUND);
	assert_int_equal(run("destroy 0"), EXIT_FAILED);
}

static void test_create_bad_config(void **state)
{
	write_file(E->cfg, "name = web\nkernel = Image\nmemory = lots\n", 39);
	assert_int_equal(run("create %C"), EXIT_CONFIG);
	assert_non_null(strstr(E->err, "web.cfg:3: memory: 'lots' is not a number\n"));
	write_file(E->cfg, "name = web\nkernel = Nothing\nmemory = 16\n", 40);
	assert_int_equal(run("create %C"), EXIT_CONFIG);
	assert_non_null(strstr(E->err, "kernel "));
	assert_non_null(strstr(E->err, "No such file or directory"));
	write_file(E->cfg, "name = web\nkernel = Image\n", 26);
	assert_int_equal(run("create %C"), EXIT_CONFIG);
	assert_non_null(strstr(E->err, "no 'memory' (MiB)"));
	assert_int_equal(run("create %C memory=16 bogus=1"), EXIT_CONFIG);
	assert_non_null(strstr(E->err, "command line: unknown key 'bogus'"));
	assert_int_equal(E->hv->dom[1].used, false); /* nothing was created */
}

static void test_dry_run(void **state)
{
	char dtb[160];

	snprintf(dtb, sizeof(dtb), "create -n --dtb %s/out.dtb %%C", E->dir);
	assert_int_equal(run(dtb), EXIT_OK);
	OUT_HAS("web: raw image, 2 vCPUs, 16 MiB at 0x40000000");
	OUT_HAS("device tree 0x40e00000");
	assert_int_equal(E->hv->calls, 0);
	snprintf(dtb, sizeof(dtb), "%s/out.dtb", E->dir);
	assert_int_equal(access(dtb, R_OK), 0);
	assert_int_equal(run("create --dtb x %C"), EXIT_USAGE);
}

static void test_pools_and_arinc(void **state)
{
	assert_int_equal(run("cpupool-create -s credit2 -c 2"), EXIT_OK);
	assert_string_equal(E->out, "Pool-1\n");
	assert_int_equal(run("sched-credit2 -p Pool-1 -r 500 -q 2"), EXIT_OK);
	assert_int_equal(E->hv->pool[1].params.u.credit2.ratelimit_us, 500);
	assert_int_equal(E->hv->pool[1].params.u.credit2.runq_cpus, 2);
	assert_int_equal(run("sched-credit2 -p 1 --json"), EXIT_OK);
	assert_string_equal(E->out, "{\"pool\": 1, \"ratelimit_us\": 500, \"runq_cpus\": 2}\n");
	assert_int_equal(run("sched-credit2 -p 1 -t 5"), EXIT_USAGE);
	assert_int_equal(run("sched-credit -p 0 -t 30000 -r 1000"), EXIT_OK);
	assert_int_equal(E->hv->pool[0].params.u.credit.tslice_us, 30000);
	assert_int_equal(run("sched-credit -p 0 -q 5"), EXIT_USAGE);
	assert_int_equal(run("cpupool-cpu-remove 1 2"), EXIT_OK);
	assert_int_equal(run("cpupool-destroy Pool-1"), EXIT_OK);
	assert_int_equal(run("cpupool-cpu-add 0 2"), EXIT_OK);
	assert_int_equal(run("cpupool-create -s arinc653 -c 3"), EXIT_OK);
	assert_string_equal(E->out, "Pool-1\n");
	assert_int_equal(run("cpupool-list --json"), EXIT_OK);
	OUT_HAS("{\"id\": 0, \"name\": \"Pool-0\", \"sched\": \"credit\", \"cpus\": \"0-2\"");
	OUT_HAS("{\"id\": 1, \"name\": \"Pool-1\", \"sched\": \"arinc653\", \"cpus\": \"3\"");
	assert_int_equal(run("sched-arinc653 -p Pool-1 -m 20000 0:0:5000 Domain-0:1:7000"),
			 EXIT_OK);
	assert_int_equal(run("sched-arinc653 -p 1 --json"), EXIT_OK);
	assert_string_equal(E->out,
			    "{\"pool\": 1, \"major_frame_us\": 20000, \"nr_windows\": 2, "
			    "\"windows\": [{\"domain\": 0, \"vcpu\": 0, \"runtime_us\": 5000}, "
			    "{\"domain\": 0, \"vcpu\": 1, \"runtime_us\": 7000}]}\n");
	assert_int_equal(run("sched-arinc653 -p 1"), EXIT_OK); /* read back as it is set */
	assert_string_equal(E->out, "Pool-1: major frame 20000 us, 2 windows: 0:0:5000 0:1:7000\n");
	assert_int_equal(E->hv->pool[1].windows[1].runtime_ns, 7000000);
	assert_int_equal(run("sched-arinc653 -p 1 -m 1000 0:0:5000"), EXIT_FAILED);
	assert_int_equal(run("sched-arinc653 -p 1 -m 1000 nosuch:0:5"), EXIT_NOTFOUND);
	assert_int_equal(run("create %C"), EXIT_OK);
	assert_int_equal(run("cpupool-migrate web Pool-1"), EXIT_OK);
	/* refused while it has a domain, before any CPU moves */
	assert_int_equal(run("cpupool-destroy 1"), EXIT_FAILED);
	ERR_IS("vmctl: Pool-1 still has 1 domain(s): migrate or destroy them first\n");
	assert_int_equal(run("cpupool-list --json"), EXIT_OK);
	OUT_HAS("{\"id\": 1, \"name\": \"Pool-1\", \"sched\": \"arinc653\", \"cpus\": \"3\"");
	assert_int_equal(run("cpupool-destroy 0"), EXIT_FAILED);
	ERR_IS("vmctl: refusing to destroy Pool-0\n");
	/* empty of domains: its CPU goes back to Pool-0, as the man page says */
	assert_int_equal(run("cpupool-migrate web Pool-0"), EXIT_OK);
	assert_int_equal(run("cpupool-destroy Pool-1"), EXIT_OK);
	assert_int_equal(run("cpupool-list --json"), EXIT_OK);
	OUT_HAS("{\"id\": 0, \"name\": \"Pool-0\", \"sched\": \"credit\", \"cpus\": \"0-3\"");
	assert_null(strstr(E->out, "Pool-1"));
}

static void test_read_verbs_json(void **state)
{
	static const char *const verbs[] = {
		"list --json",
		"list -l --json web",
		"info web --json",
		"vcpu-list --json",
		"sched-credit --json",
		"sched-credit -d web --json",
		"sched-credit -p 0 --json",
		"cpupool-list --json",
		"host --json",
		"version --json",
		"dmesg --json",
		"top -d 1 -n 2 --json",
	};

	assert_int_equal(run("create %C name=we\"b"), EXIT_CONFIG); /* names are checked */
	assert_int_equal(run("create %C"), EXIT_OK);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (run(verbs[i]) != EXIT_OK)
			fail_msg("%s: %s", verbs[i], E->err);
		assert_json();
	}
	assert_int_equal(run("destroy web"), EXIT_OK);
	assert_int_equal(run("dmesg --json"), EXIT_OK);
	assert_string_equal(E->out, "{\"log\": \"Basalt fake hypervisor\\n\", \"lost\": 0}\n");
	assert_int_equal(run("version --json"), EXIT_OK);
	OUT_HAS("\"interface\": \"1.2\"");
	assert_int_equal(run("top -d 1 -n 1 --json"), EXIT_OK);
	OUT_HAS("[{\"id\": 0, \"name\": \"Domain-0\", \"cpu_percent\": 0.0");
	assert_int_equal(run("host --json"), EXIT_OK);
	OUT_HAS("{\"arch\": \"arm64\", \"cpus\": 4, \"domains\": 1, \"total_pages\": 1048576, "
		"\"free_pages\": 983040");
	assert_int_equal(run("create %C"), EXIT_OK);
	assert_int_equal(run("host"), EXIT_OK);
	OUT_HAS("free pages:    978944\n"); /* 16 MiB fewer */
	assert_int_equal(run("destroy web"), EXIT_OK);
	assert_int_equal(run("host"), EXIT_OK);
	OUT_HAS("free pages:    983040\n"); /* back at the baseline */
	assert_int_equal(run("verbs"), EXIT_OK);
	OUT_HAS("cpupool-cpu-remove\n");
}

/* console -f sends what is typed, up to Ctrl-], and shows the guest's answer. */
static void test_console_interactive(void **state)
{
	int fds[2];

	assert_int_equal(run("create %C"), EXIT_OK);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "ls\n\x1dignored", 11), 11);
	E->in_fd = fds[0];
	assert_int_equal(run("console -f web"), EXIT_OK);
	OUT_HAS("vCPU 0 entered"); /* the output so far ... */
	OUT_HAS("\nls\n");	   /* ... then the fake guest's echo of the input */
	assert_null(strstr(E->out, "ignored"));
	assert_non_null(strstr(E->err, "[vmctl: detached from domain 1]"));
	assert_int_equal(E->hv->dom[1].console_len, strlen(E->out));
	/* at end of input only output is followed; a dead domain ends it */
	assert_int_equal(run("destroy web"), EXIT_OK);
	assert_int_equal(run("console -f 1"), EXIT_NOTFOUND);
	close(fds[0]);
	close(fds[1]);
	E->in_fd = 0;
}

static void console_says(basalt_domid_t d, const char *text)
{
	struct fake_dom *fd = &E->hv->dom[d];

	strcpy(fd->console + fd->console_len, text);
	fd->console_len += (uint32_t)strlen(text);
}

static void shut_down(basalt_domid_t d, uint32_t reason)
{
	E->hv->dom[d].info.flags |= BASALT_DOMINF_shutdown;
	E->hv->dom[d].info.shutdown_reason = reason;
}

static void test_daemon_lifecycle(void **state)
{
	char path[160], text[512] = "";
	FILE *f;

	assert_int_equal(run("create %C on_crash=preserve on_reboot=restart"), EXIT_OK);
	console_says(1, "boot 1\n");
	assert_int_equal(run("daemon -n 1"), EXIT_OK);
	assert_string_equal(E->out, "");
	/* crash + preserve: reported once, the domain stays for inspection */
	shut_down(1, BASALT_SHUTDOWN_crash);
	assert_int_equal(run("daemon -n 1"), EXIT_OK);
	assert_string_equal(E->out, "daemon: web (ID 1) shut down (crash): preserve\n");
	assert_int_equal(run("daemon -n 1"), EXIT_OK);
	assert_string_equal(E->out, "");
	assert_true(E->hv->dom[1].used);
	/* reboot + restart: destroyed and created again from the config + overrides */
	E->hv->dom[1].info.flags &= ~BASALT_DOMINF_shutdown; /* resumed */
	assert_int_equal(run("daemon -n 1"), EXIT_OK);
	shut_down(1, BASALT_SHUTDOWN_reboot);
	console_says(1, "rebooting\n");
	assert_int_equal(run("daemon -n 1"), EXIT_OK);
	assert_string_equal(E->out, "daemon: web (ID 1) shut down (reboot): restart\n"
				    "daemon: restarted web as ID 1\n");
	assert_true(E->hv->dom[1].used);
	assert_int_equal(E->hv->dom[1].info.flags & BASALT_DOMINF_shutdown, 0);
	/* poweroff + destroy: gone, but its console is kept */
	console_says(1, "boot 2\n");
	shut_down(1, BASALT_SHUTDOWN_poweroff);
	assert_int_equal(run("daemon -n 1"), EXIT_OK);
	assert_string_equal(E->out, "daemon: web (ID 1) shut down (poweroff): destroy\n");
	assert_false(E->hv->dom[1].used);
	assert_int_equal(run("info web"), EXIT_NOTFOUND);
	/* The fake logs each boot; the guest's own lines follow, all kept in order. */
	snprintf(path, sizeof(path), "%s/web.log", E->logs);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	assert_non_null(
	    strstr(text, "entered at 0x40000000 with x0 = 0x40e00000\nboot 1\nrebooting\n"));
	assert_non_null(strstr(strstr(text, "rebooting\n"), "entered at 0x40000000"));
	assert_non_null(strstr(strstr(text, "rebooting\n"), "boot 2\n"));
	assert_int_equal(run("console web"), EXIT_OK);
	assert_string_equal(E->out, text);
	assert_int_equal(run("console ghost"), EXIT_NOTFOUND);
	assert_int_equal(run("daemon extra"), EXIT_USAGE);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_help_matches_table),  T(test_usage_errors),	T(test_not_found),
		T(test_create_lifecycle),    T(test_create_bad_config), T(test_dry_run),
		T(test_pools_and_arinc),     T(test_read_verbs_json),	T(test_daemon_lifecycle),
		T(test_console_interactive),
	};

	return RUN_TESTS(tests);
}
