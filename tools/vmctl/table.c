// SPDX-License-Identifier: MIT
/*
 * The verb table: name, handler, usage, one-line summary, option help and
 * whether it is a read verb (--json). `vmctl help`, `vmctl VERB --help`,
 * `vmctl verbs` (bash completion) and docs/vmctl.8 all follow it; the unit
 * tests check that every verb answers --help and that the man page names it.
 */
#include "cli.h"

#define DOM_HELP ""

const struct verb vmctl_verbs[] = {
	{ "create", verb_create, "[-c] [-p] [-n [--dtb FILE]] CONFIG [KEY=VALUE...]",
	  "build and start a domain from a config file (vmctl.cfg(5))",
	  "  -c, --console   attach to its console once started\n"
	  "  -p, --paused    leave it paused\n"
	  "  -n, --dry-run   check the config and images, print the memory layout, create nothing\n"
	  "  -D, --dtb FILE  with -n: write the guest device tree to FILE\n"
	  "  KEY=VALUE       override a config key (e.g. memory=512 vcpus=2)\n",
	  false },
	{ "list", verb_list, "[-l] [DOMAIN...]", "list domains",
	  "  -l, --long      also maximum memory, pool and shutdown reason\n", true },
	{ "info", verb_info, "DOMAIN", "show one domain's state", DOM_HELP, true },
	{ "destroy", verb_destroy, "DOMAIN", "stop a domain at once and free its resources",
	  DOM_HELP, false },
	{ "shutdown", verb_shutdown, "[-f] [-w [-t SECS]] DOMAIN", "ask a domain to power off",
	  "  -w, --wait      wait until it has shut down; say how it ended\n"
	  "  -t, --timeout S give up waiting after S seconds (exit 6)\n"
	  "  -f, --force     do not ask the guest: mark it shut down at once\n"
	  "A Linux guest obeys when it has loaded basalt.ko (it runs /sbin/poweroff).\n",
	  false },
	{ "reboot", verb_reboot, "[-f] [-w [-t SECS]] DOMAIN", "ask a domain to reboot",
	  "  -w, --wait      wait until it has shut down\n"
	  "  -t, --timeout S give up waiting after S seconds (exit 6)\n"
	  "  -f, --force     do not ask the guest: mark it shut down at once\n",
	  false },
	{ "pause", verb_pause, "DOMAIN", "stop scheduling a domain's vCPUs", DOM_HELP, false },
	{ "unpause", verb_unpause, "DOMAIN", "resume a paused domain", DOM_HELP, false },
	{ "wait", verb_wait, "[-t SECS] DOMAIN", "wait until a domain has shut down or is gone",
	  "  -t, --timeout S give up after S seconds (exit 6)\nThen says how it ended.\n", false },
	{ "console", verb_console, "[-f] DOMAIN", "print a domain's console, or attach to it",
	  "  -f, --follow    attach: print new output and send what is typed; Ctrl-] detaches\n"
	  "For a domain that is gone, prints what 'vmctl daemon' kept of its console.\n",
	  false },
	{ "dmesg", verb_dmesg, "", "print the hypervisor's log", "", true },
	{ "top", verb_top, "[-d SECS] [-n COUNT]", "live CPU and memory use per domain",
	  "  -d, --delay S   seconds between samples (default 2)\n"
	  "  -n, --iterations N  stop after N samples (default: until interrupted)\n",
	  true },
	{ "mem-set", verb_mem_set, "DOMAIN MIB", "set a domain's memory limit in MiB", "", false },
	{ "vcpu-list", verb_vcpu_list, "[DOMAIN]",
	  "list vCPUs: state, pCPU, run time and CPU affinity", "", true },
	{ "vcpu-pin", verb_vcpu_pin, "[-s] DOMAIN VCPU|all CPUS",
	  "set where a domain's vCPU may run (CPUS: 0-3,6 or all)",
	  "  -s, --soft      set the soft (preferred) affinity instead of the hard one\n", false },
	{ "sched-credit", verb_sched_credit,
	  "[-d DOMAIN [-w WEIGHT] [-c CAP]] | [-p POOL [-t TSLICE_US] [-r RATELIMIT_US]]",
	  "show or set credit scheduler parameters",
	  "  -d, --domain D  the domain (without -w/-c: show it; no -d: all domains)\n"
	  "  -w, --weight W  relative share, 1..65535 (default 256)\n"
	  "  -c, --cap C     at most C percent of one CPU, 0 = no cap\n"
	  "  -p, --pool P    the pool's time slice and rate limit\n"
	  "  -t, --tslice T  time slice in microseconds\n"
	  "  -r, --ratelimit R  minimum run time in microseconds\n",
	  true },
	{ "sched-credit2", verb_sched_credit2,
	  "[-d DOMAIN [-w WEIGHT] [-c CAP]] | [-p POOL [-r RATELIMIT_US] [-q RUNQ_CPUS]]",
	  "show or set credit2 scheduler parameters",
	  "  -d, --domain D  the domain (without -w/-c: show it; no -d: all domains)\n"
	  "  -w, --weight W  relative share, 1..65535 (default 256)\n"
	  "  -c, --cap C     at most C percent of one CPU, 0 = no cap\n"
	  "  -p, --pool P    the pool's parameters\n"
	  "  -r, --ratelimit R  minimum run time in microseconds\n"
	  "  -q, --runq-cpus N  pCPUs sharing one run queue\n",
	  true },
	{ "sched-rtds", verb_sched_rtds,
	  "-d DOMAIN [-v VCPU|all] [-P PERIOD_US] [-B BUDGET_US] [-e 0|1]",
	  "show or set RTDS (real-time deferrable server) parameters",
	  "  -d, --domain D  the domain\n"
	  "  -v, --vcpu V    one vCPU (default: all)\n"
	  "  -P, --period P  replenishment period in microseconds\n"
	  "  -B, --budget B  budget per period in microseconds (<= period)\n"
	  "  -e, --extratime 0|1  may use idle time beyond the budget\n",
	  true },
	{ "sched-arinc653", verb_sched_arinc653, "[-p POOL] [-m MAJOR_US DOMAIN:VCPU:US...]",
	  "show or set an ARINC 653 pool's major frame and windows",
	  "  -p, --pool P    the pool (default Pool-0)\n"
	  "  -m, --major M   major frame in microseconds; the windows follow, in order,\n"
	  "                  as DOMAIN:VCPU:MICROSECONDS and must fit in the frame\n",
	  true },
	{ "cpupool-create", verb_cpupool_create, "[-s SCHED] [-c CPUS]",
	  "create a cpupool; prints its name (Pool-N)",
	  "  -s, --sched S   credit (default), credit2, rtds or arinc653\n"
	  "  -c, --cpus L    CPUs to move into it from their pools (0-3,6)\n",
	  false },
	{ "cpupool-destroy", verb_cpupool_destroy, "POOL", "destroy a cpupool without domains",
	  "Its CPUs go back to Pool-0 first.\n", false },
	{ "cpupool-list", verb_cpupool_list, "", "list cpupools", "", true },
	{ "cpupool-cpu-add", verb_cpupool_cpu_add, "POOL CPU", "add a free CPU to a cpupool", "",
	  false },
	{ "cpupool-cpu-remove", verb_cpupool_cpu_remove, "POOL CPU", "remove a CPU from a cpupool",
	  "", false },
	{ "cpupool-migrate", verb_cpupool_migrate, "DOMAIN POOL",
	  "move a domain to another cpupool", "", false },
	{ "daemon", verb_daemon, "[-i SECS] [-n TICKS]",
	  "supervise domains: keep their consoles, carry out on_poweroff/on_reboot/on_crash",
	  "  -i, --interval S  check at least every S seconds (default 1)\n"
	  "  -n, --ticks N     stop after N passes (default: run until killed)\n"
	  "Console output goes to $VMCTL_LOG_DIR/NAME.log (default /var/log/basalt).\n",
	  false },
	{ "host", verb_host, "", "show the host: CPUs, domains, free and used memory pages", "",
	  true },
	{ "version", verb_version, "", "show the hypervisor interface version", "", true },
	{ "help", verb_help, "[VERB]", "list the verbs, or describe one", "", false },
	{ "verbs", verb_verbs, "", "list the verb names (for shell completion)", "", false },
};

const unsigned int vmctl_nr_verbs = sizeof(vmctl_verbs) / sizeof(vmctl_verbs[0]);
