// SPDX-License-Identifier: MIT
/* vmctl verbs on vCPUs, schedulers and cpupools, and version. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_DOMS 1024

static int cli_exit(int rc)
{
	return rc == CLI_HELP_SHOWN ? EXIT_OK : rc;
}

/* Options, then operand count in [min, max]; 0 = go on, *first set. */
static int opts_n(struct cli *c, int argc, char **argv, const struct cli_opt *opts, int min,
		  int max, int *first, const char *what)
{
	*first = cli_opts(c, argc, argv, opts);
	if (*first < 0)
		return *first == CLI_HELP_SHOWN ? *first : -*first;
	if (argc - *first < min || argc - *first > max)
		return cli_usage(c, "expected %s", what);
	return cli_need_hv(c);
}

int verb_version(struct cli *c, int argc, char **argv)
{
	unsigned int major, minor;
	int first, rc = opts_n(c, argc, argv, NULL, 0, 0, &first, "no operands");

	if (rc)
		return cli_exit(rc);
	rc = vmctl_version(c->h, &major, &minor);
	if (rc)
		return cli_fail(c, rc);
	fprintf(c->out,
		c->json ? "{\"interface\": \"%u.%u\", \"tools\": \"%u.%u\"}\n"
			: "hypervisor interface %u.%u, vmctl built for %u.%u\n",
		major, minor, (unsigned int)BASALT_INTERFACE_VERSION_MAJOR,
		(unsigned int)BASALT_INTERFACE_VERSION_MINOR);
	return EXIT_OK;
}

int verb_host(struct cli *c, int argc, char **argv)
{
	struct basalt_sysctl_physinfo pi;
	unsigned int major, minor;
	int first, rc = opts_n(c, argc, argv, NULL, 0, 0, &first, "no operands");

	if (rc)
		return cli_exit(rc);
	rc = vmctl_physinfo(c->h, &pi);
	if (!rc)
		rc = vmctl_version(c->h, &major, &minor);
	if (rc)
		return cli_fail(c, rc);
	fprintf(c->out,
		c->json ? "{\"arch\": \"%s\", \"cpus\": %u, \"domains\": %u, "
			  "\"total_pages\": %llu, \"free_pages\": %llu, \"domain_pages\": %llu, "
			  "\"interface\": \"%u.%u\"}\n"
			: "arch:          %s\ncpus:          %u\ndomains:       %u\n"
			  "total pages:   %llu\nfree pages:    %llu\ndomain pages:  %llu\n"
			  "interface:     %u.%u\n",
		pi.arch == BASALT_ARCH_ARM64	? "arm64"
		: pi.arch == BASALT_ARCH_X86_64 ? "x86_64"
						: "?",
		pi.nr_cpus, pi.nr_domains, (unsigned long long)pi.total_pages,
		(unsigned long long)pi.free_pages, (unsigned long long)pi.domain_pages, major,
		minor);
	return EXIT_OK;
}

/* --- vCPUs --- */

static int vcpu_list_one(struct cli *c, const vmctl_dominfo_t *i, bool *any)
{
	char name[128], hard[256], soft[256];

	names_get(c, i->domid, name, sizeof(name));
	for (uint32_t v = 0; v < i->max_vcpus; v++) {
		vmctl_cpumap_t h, s;
		vmctl_vcpuinfo_t vi;
		int rc = vmctl_vcpu_info(c->h, i->domid, v, &vi);
		double secs;

		if (!rc)
			rc = vmctl_vcpu_get_affinity(c->h, i->domid, v, BASALT_VCPUAFF_hard, &h);
		if (!rc)
			rc = vmctl_vcpu_get_affinity(c->h, i->domid, v, BASALT_VCPUAFF_soft, &s);
		if (rc)
			return cli_fail(c, rc);
		vmctl_cpumap_format(&h, hard, sizeof(hard));
		vmctl_cpumap_format(&s, soft, sizeof(soft));
		secs = (double)vi.time[BASALT_RUNSTATE_running] / 1e9;
		if (c->json) {
			fprintf(c->out, "%s{\"id\": %u, \"name\": ", *any ? ", " : "", i->domid);
			json_str(c->out, name);
			fprintf(
			    c->out,
			    ", \"vcpu\": %u, \"hard_affinity\": \"%s\", \"soft_affinity\": \"%s\", "
			    "\"state\": \"%s\", \"cpu\": %u, \"online\": %s, \"time_ns\": "
			    "{\"running\": %lld, \"runnable\": %lld, \"blocked\": %lld, "
			    "\"offline\": %lld}}",
			    v, hard, soft, vmctl_runstate_name(vi.state), vi.processor,
			    vi.flags & BASALT_VCPUINFO_up ? "true" : "false", (long long)vi.time[0],
			    (long long)vi.time[1], (long long)vi.time[2], (long long)vi.time[3]);
		} else {
			fprintf(c->out, "%-20s %5u %5u %-8s %4u %10.1f %-16s %s\n",
				*name ? name : "-", i->domid, v, vmctl_runstate_name(vi.state),
				vi.processor, secs, hard, soft);
		}
		*any = true;
	}
	return EXIT_OK;
}

int verb_vcpu_list(struct cli *c, int argc, char **argv)
{
	static vmctl_dominfo_t info[MAX_DOMS];
	bool any = false;
	int first, n, rc = opts_n(c, argc, argv, NULL, 0, 1, &first, "at most one domain");

	if (rc)
		return cli_exit(rc);
	if (first < argc) {
		rc = cli_domain(c, argv[first], &info[0].domid);
		if (!rc)
			rc = vmctl_domain_info(c->h, info[0].domid, &info[0]) ? cli_fail(c, -1) : 0;
		n = 1;
	} else {
		n = vmctl_domain_list(c->h, info, MAX_DOMS);
		rc = n < 0 ? cli_fail(c, n) : 0;
	}
	if (rc)
		return rc;
	if (c->json)
		fputc('[', c->out);
	else
		fprintf(c->out, "%-20s %5s %5s %-8s %4s %10s %-16s %s\n", "Name", "ID", "VCPU",
			"State", "CPU", "Time(s)", "Affinity(hard)", "Affinity(soft)");
	for (int i = 0; i < n && !rc; i++)
		rc = vcpu_list_one(c, &info[i], &any);
	if (c->json)
		fputs("]\n", c->out);
	return rc;
}

int verb_vcpu_pin(struct cli *c, int argc, char **argv)
{
	const char *soft = NULL;
	const struct cli_opt opts[] = { { 's', "soft", false, &soft }, { 0 } };
	unsigned long long vcpu;
	vmctl_dominfo_t info;
	vmctl_cpumap_t map;
	basalt_domid_t d;
	int first, rc = opts_n(c, argc, argv, opts, 3, 3, &first, "DOMAIN VCPU|all CPUS");
	uint32_t flags;

	if (rc)
		return cli_exit(rc);
	if (vmctl_cpumap_parse(argv[first + 2], &map))
		return cli_usage(c, "'%s' is not a CPU list like 0-3,6 or all", argv[first + 2]);
	if (strcmp(argv[first + 1], "all") && !cli_uint(argv[first + 1], 0xffff, &vcpu))
		return cli_usage(c, "'%s' is not a vCPU number or all", argv[first + 1]);
	rc = cli_domain(c, argv[first], &d);
	if (!rc && (rc = vmctl_domain_info(c->h, d, &info)))
		return cli_fail(c, rc);
	if (rc)
		return rc;
	flags = soft ? BASALT_VCPUAFF_soft : BASALT_VCPUAFF_hard;
	if (strcmp(argv[first + 1], "all")) {
		if (vcpu >= info.max_vcpus)
			return cli_usage(c, "domain %u has vCPUs 0 to %u", d, info.max_vcpus - 1);
		rc = vmctl_vcpu_set_affinity(c->h, d, (uint32_t)vcpu, flags, &map);
	} else {
		for (uint32_t v = 0; !rc && v < info.max_vcpus; v++)
			rc = vmctl_vcpu_set_affinity(c->h, d, v, flags, &map);
	}
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

/* --- schedulers --- */

static bool parse_u32(const char *s, unsigned long long max, uint32_t *out)
{
	unsigned long long v;

	if (!s)
		return true;
	if (!cli_uint(s, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static void credit_show(struct cli *c, basalt_domid_t d, const struct basalt_sched_params *p,
			bool *any)
{
	char name[128];

	names_get(c, d, name, sizeof(name));
	if (c->json) {
		fprintf(c->out, "%s{\"id\": %u, \"name\": ", *any ? ", " : "", d);
		json_str(c->out, name);
		fprintf(c->out, ", \"weight\": %u, \"cap\": %u}", p->u.credit.weight,
			p->u.credit.cap);
	} else {
		fprintf(c->out, "%-20s %5u %6u %4u\n", *name ? name : "-", d, p->u.credit.weight,
			p->u.credit.cap);
	}
	*any = true;
}

/* All domains in pools of this scheduler. */
static int credit_list(struct cli *c, uint32_t sched)
{
	static vmctl_dominfo_t info[MAX_DOMS];
	int n = vmctl_domain_list(c->h, info, MAX_DOMS);
	bool any = false;

	if (n < 0)
		return cli_fail(c, n);
	if (c->json)
		fputc('[', c->out);
	else
		fprintf(c->out, "%-20s %5s %6s %4s\n", "Name", "ID", "Weight", "Cap");
	for (int i = 0; i < n; i++) {
		struct basalt_sched_params p = { .sched_id = sched };
		vmctl_poolinfo_t pi;

		if (vmctl_cpupool_info(c->h, info[i].cpupool, &pi) || pi.sched_id != sched)
			continue;
		if (vmctl_sched_get(c->h, info[i].domid, &p))
			return cli_fail(c, -1);
		credit_show(c, info[i].domid, &p, &any);
	}
	if (c->json)
		fputs("]\n", c->out);
	return EXIT_OK;
}

/*
 * A pool's parameters: credit has tslice_us and ratelimit_us, credit2
 * ratelimit_us and runq_cpus (the same union, laid out differently).
 * v1 and v2 are the new values of the first and second, or NULL.
 */
static int credit_pool(struct cli *c, uint32_t sched, const char *pool, const char *v1,
		       const char *v2)
{
	struct basalt_sysctl_sched_pool_op op = { .sched_id = sched };
	bool credit = sched == BASALT_SCHED_credit;
	uint32_t *f1 = credit ? &op.u.credit.tslice_us : &op.u.credit2.ratelimit_us;
	uint32_t *f2 = credit ? &op.u.credit.ratelimit_us : &op.u.credit2.runq_cpus;
	const char *n1 = credit ? "tslice_us" : "ratelimit_us";
	const char *n2 = credit ? "ratelimit_us" : "runq_cpus";
	uint32_t id;
	int rc = cli_pool(c, pool, &id);

	if (rc)
		return rc;
	rc = vmctl_sched_pool_get(c->h, id, &op);
	if (rc)
		return cli_fail(c, rc);
	if (!v1 && !v2) {
		fprintf(c->out,
			c->json ? "{\"pool\": %u, \"%s\": %u, \"%s\": %u}\n"
				: "Pool-%u: %s %u, %s %u\n",
			id, n1, *f1, n2, *f2);
		return EXIT_OK;
	}
	if (!parse_u32(v1, 1000000, f1) || !parse_u32(v2, 1000000, f2))
		return cli_usage(c, "%s and %s are numbers", n1, n2);
	rc = vmctl_sched_pool_set(c->h, &op);
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

static int sched_credit_common(struct cli *c, int argc, char **argv, uint32_t sched)
{
	const char *dom = NULL, *w = NULL, *cap = NULL, *pool = NULL, *ts = NULL, *rl = NULL,
		   *rq = NULL;
	const struct cli_opt opts[] = {
		{ 'd', "domain", true, &dom },	 { 'w', "weight", true, &w },
		{ 'c', "cap", true, &cap },	 { 'p', "pool", true, &pool },
		{ 't', "tslice", true, &ts },	 { 'r', "ratelimit", true, &rl },
		{ 'q', "runq-cpus", true, &rq }, { 0 }
	};
	bool credit = sched == BASALT_SCHED_credit;
	struct basalt_sched_params p = { .sched_id = sched, .vcpu = BASALT_SCHED_ALL_VCPUS };
	basalt_domid_t d;
	bool any = false;
	int first, rc = opts_n(c, argc, argv, opts, 0, 0, &first, "options only");

	if (rc)
		return cli_exit(rc);
	if ((credit && rq) || (!credit && ts))
		return cli_usage(c, credit ? "-q is for credit2 pools" : "-t is for credit pools");
	if (pool)
		return credit ? credit_pool(c, sched, pool, ts, rl)
			      : credit_pool(c, sched, pool, rl, rq);
	if (ts || rl || rq)
		return cli_usage(c, "-t, -r and -q need -p POOL");
	if (!dom)
		return (w || cap) ? cli_usage(c, "-w and -c need -d DOMAIN")
				  : credit_list(c, sched);
	rc = cli_domain(c, dom, &d);
	if (rc)
		return rc;
	rc = vmctl_sched_get(c->h, d, &p);
	if (rc)
		return cli_fail(c, rc);
	if (!w && !cap) {
		if (c->json)
			fputc('[', c->out);
		credit_show(c, d, &p, &any);
		if (c->json)
			fputs("]\n", c->out);
		return EXIT_OK;
	}
	if (!parse_u32(w, 65535, &p.u.credit.weight) || !p.u.credit.weight ||
	    !parse_u32(cap, 12800, &p.u.credit.cap))
		return cli_usage(c, "weight is 1..65535, cap a percentage (0 = none)");
	p.vcpu = BASALT_SCHED_ALL_VCPUS;
	rc = vmctl_sched_set(c->h, d, &p);
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

int verb_sched_credit(struct cli *c, int argc, char **argv)
{
	return sched_credit_common(c, argc, argv, BASALT_SCHED_credit);
}

int verb_sched_credit2(struct cli *c, int argc, char **argv)
{
	return sched_credit_common(c, argc, argv, BASALT_SCHED_credit2);
}

int verb_sched_rtds(struct cli *c, int argc, char **argv)
{
	const char *dom = NULL, *vcpu = NULL, *per = NULL, *bud = NULL, *ext = NULL;
	const struct cli_opt opts[] = {
		{ 'd', "domain", true, &dom },	  { 'v', "vcpu", true, &vcpu },
		{ 'P', "period", true, &per },	  { 'B', "budget", true, &bud },
		{ 'e', "extratime", true, &ext }, { 0 }
	};
	struct basalt_sched_params p = { .sched_id = BASALT_SCHED_rtds };
	unsigned long long v = BASALT_SCHED_ALL_VCPUS, per_us = 0, bud_us = 0, e = 0;
	basalt_domid_t d;
	int first, rc = opts_n(c, argc, argv, opts, 0, 0, &first, "options only");

	if (rc)
		return cli_exit(rc);
	if (!dom)
		return cli_usage(c, "-d DOMAIN is required");
	if ((vcpu && strcmp(vcpu, "all") && !cli_uint(vcpu, 0xffff, &v)) ||
	    (per && !cli_uint(per, 10000000, &per_us)) ||
	    (bud && !cli_uint(bud, 10000000, &bud_us)) || (ext && !cli_uint(ext, 1, &e)))
		return cli_usage(c, "-v takes a vCPU or all, -P/-B microseconds, -e 0 or 1");
	rc = cli_domain(c, dom, &d);
	if (rc)
		return rc;
	p.vcpu = (uint32_t)v;
	rc = vmctl_sched_get(c->h, d, &p);
	if (rc)
		return cli_fail(c, rc);
	if (!per && !bud && !ext) {
		fprintf(c->out,
			c->json ? "{\"id\": %u, \"period_us\": %llu, \"budget_us\": %llu, "
				  "\"extratime\": %u}\n"
				: "domain %u: period %llu us, budget %llu us, extratime %u\n",
			d, (unsigned long long)p.u.rtds.period_ns / 1000,
			(unsigned long long)p.u.rtds.budget_ns / 1000,
			p.u.rtds.flags & BASALT_RTDS_F_extratime ? 1 : 0);
		return EXIT_OK;
	}
	if (per)
		p.u.rtds.period_ns = per_us * 1000;
	if (bud)
		p.u.rtds.budget_ns = bud_us * 1000;
	if (ext)
		p.u.rtds.flags = e ? BASALT_RTDS_F_extratime : 0;
	if (p.u.rtds.budget_ns > p.u.rtds.period_ns)
		return cli_usage(c, "the budget must not exceed the period");
	p.vcpu = (uint32_t)v;
	rc = vmctl_sched_set(c->h, d, &p);
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

/* DOM:VCPU:US -> a window. */
static int parse_window(struct cli *c, const char *s, struct basalt_arinc653_entry *e)
{
	char dom[128];
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	unsigned long long vcpu, us;
	char vbuf[32];
	basalt_domid_t d;
	int rc;

	if (!c2 || (size_t)(c1 - s) >= sizeof(dom) || (size_t)(c2 - c1 - 1) >= sizeof(vbuf))
		return cli_usage(c, "window '%s' is not DOMAIN:VCPU:MICROSECONDS", s);
	memcpy(dom, s, (size_t)(c1 - s));
	dom[c1 - s] = '\0';
	memcpy(vbuf, c1 + 1, (size_t)(c2 - c1 - 1));
	vbuf[c2 - c1 - 1] = '\0';
	if (!cli_uint(vbuf, 0xffff, &vcpu) || !cli_uint(c2 + 1, 10000000, &us) || !us)
		return cli_usage(c, "window '%s' is not DOMAIN:VCPU:MICROSECONDS", s);
	rc = cli_domain(c, dom, &d);
	if (rc)
		return rc;
	*e = (struct basalt_arinc653_entry){ .domid = d,
					     .vcpu = (uint32_t)vcpu,
					     .runtime_ns = us * 1000 };
	return 0;
}

/* The major frame and the windows, in the DOMAIN:VCPU:US form that sets them. */
static int arinc_show(struct cli *c, uint32_t pool)
{
	struct basalt_arinc653_entry e[VMCTL_ARINC653_MAX];
	uint64_t major;
	uint32_t n;
	int rc = vmctl_arinc653_get_windows(c->h, pool, &major, e, &n);

	if (rc)
		return cli_fail(c, rc);
	fprintf(c->out,
		c->json ? "{\"pool\": %u, \"major_frame_us\": %llu, \"nr_windows\": %u, "
			  "\"windows\": ["
			: "Pool-%u: major frame %llu us, %u windows:",
		pool, (unsigned long long)major / 1000, n);
	for (uint32_t i = 0; i < n; i++)
		fprintf(c->out,
			c->json ? "%s{\"domain\": %u, \"vcpu\": %u, \"runtime_us\": %llu}"
				: "%s%u:%u:%llu",
			c->json ? (i ? ", " : "") : " ", e[i].domid, e[i].vcpu,
			(unsigned long long)e[i].runtime_ns / 1000);
	fputs(c->json ? "]}\n" : "\n", c->out);
	return EXIT_OK;
}

int verb_sched_arinc653(struct cli *c, int argc, char **argv)
{
	const char *pool = NULL, *major = NULL;
	const struct cli_opt opts[] = { { 'p', "pool", true, &pool },
					{ 'm', "major", true, &major },
					{ 0 } };
	struct basalt_arinc653_entry e[VMCTL_ARINC653_MAX];
	unsigned long long major_us;
	uint32_t id;
	int first,
	    rc = opts_n(c, argc, argv, opts, 0, VMCTL_ARINC653_MAX, &first, "at most 64 windows");

	if (rc)
		return cli_exit(rc);
	rc = cli_pool(c, pool ? pool : "0", &id);
	if (rc)
		return rc;
	if (!major && first == argc)
		return arinc_show(c, id);
	if (!major || !cli_uint(major, 10000000, &major_us) || !major_us || first == argc)
		return cli_usage(c, "setting needs -m MAJOR_US and DOMAIN:VCPU:US windows");
	for (int i = first; i < argc; i++) {
		rc = parse_window(c, argv[i], &e[i - first]);
		if (rc)
			return rc;
	}
	rc = vmctl_arinc653_set(c->h, id, major_us * 1000, e, (uint32_t)(argc - first));
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

/* --- cpupools --- */

int verb_cpupool_create(struct cli *c, int argc, char **argv)
{
	const char *sched = NULL, *cpus = NULL;
	const struct cli_opt opts[] = { { 's', "sched", true, &sched },
					{ 'c', "cpus", true, &cpus },
					{ 0 } };
	uint32_t id = BASALT_CPUPOOL_ID_ANY, sid;
	vmctl_cpumap_t map = { 0 };
	int first, rc = opts_n(c, argc, argv, opts, 0, 0, &first, "options only");

	if (rc)
		return cli_exit(rc);
	sid = vmctl_sched_id(sched ? sched : "credit");
	if (!sid)
		return cli_usage(c, "scheduler '%s' is not credit, credit2, rtds or arinc653",
				 sched);
	if (cpus && vmctl_cpumap_parse(cpus, &map))
		return cli_usage(c, "'%s' is not a CPU list", cpus);
	rc = vmctl_cpupool_create(c->h, sid, &id);
	for (uint32_t cpu = 0; !rc && cpu < VMCTL_MAX_CPUS; cpu++) {
		if (!(map.w[cpu / 64] >> (cpu % 64) & 1))
			continue;
		/* A CPU moves from the pool that has it, as xl does. */
		for (uint32_t p = 0; !rc && p < 64; p++) {
			vmctl_poolinfo_t pi;

			if (!vmctl_cpupool_info(c->h, p, &pi) && cpu < 64 && (pi.cpumap >> cpu & 1))
				rc = vmctl_cpupool_cpu_remove(c->h, p, cpu);
		}
		if (!rc)
			rc = vmctl_cpupool_cpu_add(c->h, id, cpu);
	}
	if (rc)
		return cli_fail(c, rc);
	fprintf(c->out, "Pool-%u\n", id);
	return EXIT_OK;
}

static int pool_and(struct cli *c, int argc, char **argv, int n, const char *what, uint32_t *id,
		    int *first)
{
	int rc = opts_n(c, argc, argv, NULL, n, n, first, what);

	return rc ? rc : cli_pool(c, argv[*first], id);
}

/*
 * What cpupool-destroy promises: the pool's CPUs go back to Pool-0 first
 * (the hypervisor destroys only a pool without CPUs). A pool that still has
 * domains is refused before any CPU moves. 0, an exit code (> 0) or
 * -BASALT_E*.
 */
static int pool_empty_cpus(struct cli *c, uint32_t id)
{
	vmctl_poolinfo_t pi;
	int rc = vmctl_cpupool_info(c->h, id, &pi);

	if (rc)
		return rc;
	if (!id)
		return cli_error(c, EXIT_FAILED, "refusing to destroy Pool-0");
	if (pi.n_dom)
		return cli_error(c, EXIT_FAILED,
				 "Pool-%u still has %u domain(s): migrate or destroy them first",
				 id, pi.n_dom);
	for (uint32_t cpu = 0; !rc && cpu < 64; cpu++) {
		if (!(pi.cpumap >> cpu & 1))
			continue;
		rc = vmctl_cpupool_cpu_remove(c->h, id, cpu);
		if (!rc)
			rc = vmctl_cpupool_cpu_add(c->h, 0, cpu);
	}
	return rc;
}

int verb_cpupool_destroy(struct cli *c, int argc, char **argv)
{
	uint32_t id;
	int first, rc = pool_and(c, argc, argv, 1, "one cpupool", &id, &first);

	if (rc)
		return cli_exit(rc);
	rc = pool_empty_cpus(c, id);
	if (!rc)
		rc = vmctl_cpupool_destroy(c->h, id);
	return rc > 0 ? rc : rc ? cli_fail(c, rc) : EXIT_OK;
}

static int pool_cpu(struct cli *c, int argc, char **argv, bool add)
{
	unsigned long long cpu;
	uint32_t id;
	int first, rc = pool_and(c, argc, argv, 2, "a cpupool and a CPU", &id, &first);

	if (rc)
		return cli_exit(rc);
	if (!cli_uint(argv[first + 1], VMCTL_MAX_CPUS - 1, &cpu))
		return cli_usage(c, "'%s' is not a CPU number", argv[first + 1]);
	rc = add ? vmctl_cpupool_cpu_add(c->h, id, (uint32_t)cpu)
		 : vmctl_cpupool_cpu_remove(c->h, id, (uint32_t)cpu);
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

int verb_cpupool_cpu_add(struct cli *c, int argc, char **argv)
{
	return pool_cpu(c, argc, argv, true);
}

int verb_cpupool_cpu_remove(struct cli *c, int argc, char **argv)
{
	return pool_cpu(c, argc, argv, false);
}

int verb_cpupool_migrate(struct cli *c, int argc, char **argv)
{
	basalt_domid_t d;
	uint32_t id;
	int first, rc = opts_n(c, argc, argv, NULL, 2, 2, &first, "a domain and a cpupool");

	if (rc)
		return cli_exit(rc);
	rc = cli_domain(c, argv[first], &d);
	if (!rc)
		rc = cli_pool(c, argv[first + 1], &id);
	if (rc)
		return rc;
	rc = vmctl_cpupool_migrate(c->h, d, id);
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

int verb_cpupool_list(struct cli *c, int argc, char **argv)
{
	static vmctl_cpupool_t pools[256];
	int first, n, rc = opts_n(c, argc, argv, NULL, 0, 0, &first, "no operands");
	bool any = false;

	if (rc)
		return cli_exit(rc);
	n = vmctl_cpupool_list(c->h, pools, sizeof(pools) / sizeof(pools[0]));
	if (c->json)
		fputc('[', c->out);
	else
		fprintf(c->out, "%-10s %-9s %-16s %s\n", "Name", "Sched", "CPUs", "Domains");
	if (n < 0)
		return cli_fail(c, n);
	for (int k = 0; k < n; k++) {
		const vmctl_cpupool_t *pi = &pools[k];
		uint32_t p = pi->poolid;
		vmctl_cpumap_t map = { { 0 } };
		char cpus[256];

		map.w[0] = pi->cpumap;
		vmctl_cpumap_format(&map, cpus, sizeof(cpus));
		if (c->json)
			fprintf(c->out,
				"%s{\"id\": %u, \"name\": \"Pool-%u\", \"sched\": \"%s\", "
				"\"cpus\": \"%s\", \"domains\": %u}",
				any ? ", " : "", p, p, vmctl_sched_name(pi->sched_id), cpus,
				pi->n_dom);
		else
			fprintf(c->out, "Pool-%-5u %-9s %-16s %u\n", p,
				vmctl_sched_name(pi->sched_id), cpus, pi->n_dom);
		any = true;
	}
	if (c->json)
		fputs("]\n", c->out);
	return EXIT_OK;
}
