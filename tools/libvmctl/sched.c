// SPDX-License-Identifier: MIT
/* libvmctl: scheduler parameters, cpupools and CPU maps. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WHAT(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

static const struct {
	const char *name;
	uint32_t id;
} scheds[] = {
	{ "credit", BASALT_SCHED_credit },
	{ "credit2", BASALT_SCHED_credit2 },
	{ "arinc653", BASALT_SCHED_arinc653 },
	{ "rtds", BASALT_SCHED_rtds },
};

const char *vmctl_sched_name(uint32_t sched_id)
{
	for (size_t i = 0; i < sizeof(scheds) / sizeof(scheds[0]); i++)
		if (scheds[i].id == sched_id)
			return scheds[i].name;
	return "unknown";
}

uint32_t vmctl_sched_id(const char *name)
{
	for (size_t i = 0; i < sizeof(scheds) / sizeof(scheds[0]); i++)
		if (!strcmp(scheds[i].name, name))
			return scheds[i].id;
	return 0;
}

static int sched_op(struct vmctl *h, basalt_domid_t d, struct basalt_sched_params *p, uint32_t cmd)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_scheduler_op, .domain = d };
	char what[80];
	int rc;

	p->cmd = cmd;
	dc.u.sched = *p;
	WHAT(what, "%s the %s parameters of domain %u",
	     cmd == BASALT_SCHEDOP_putinfo ? "set" : "get", vmctl_sched_name(p->sched_id), d);
	rc = domctl(h, &dc, NULL, 0, 0, 0, what);
	if (rc >= 0)
		*p = dc.u.sched;
	return rc < 0 ? rc : 0;
}

int vmctl_sched_get(struct vmctl *h, basalt_domid_t d, struct basalt_sched_params *p)
{
	return sched_op(h, d, p, BASALT_SCHEDOP_getinfo);
}

int vmctl_sched_set(struct vmctl *h, basalt_domid_t d, const struct basalt_sched_params *p)
{
	struct basalt_sched_params copy = *p;

	return sched_op(h, d, &copy, BASALT_SCHEDOP_putinfo);
}

static int pool_sched(struct vmctl *h, struct basalt_sysctl_sched_pool_op *op, const void *inner,
		      uint32_t inner_len, uint32_t flags)
{
	struct basalt_sysctl sc = { .cmd = BASALT_SYSCTL_sched_pool_op };
	char what[80];
	int rc;

	sc.u.sched_pool_op = *op;
	WHAT(what, "%s the %s %s of pool %u", op->cmd == BASALT_SCHEDOP_putinfo ? "set" : "get",
	     vmctl_sched_name(op->sched_id),
	     op->cmd == BASALT_SCHEDOP_getschedule ? "schedule" : "parameters", op->poolid);
	rc = sysctl(h, &sc, inner, inner_len, flags,
		    offsetof(struct basalt_sysctl_sched_pool_op, u.arinc653.entries_gpa), what);
	if (rc >= 0)
		*op = sc.u.sched_pool_op;
	return rc < 0 ? rc : 0;
}

int vmctl_sched_pool_get(struct vmctl *h, uint32_t pool, struct basalt_sysctl_sched_pool_op *op)
{
	uint32_t sched = op->sched_id;

	memset(op, 0, sizeof(*op));
	op->poolid = pool;
	op->sched_id = sched;
	op->cmd = BASALT_SCHEDOP_getinfo;
	return pool_sched(h, op, NULL, 0, 0);
}

int vmctl_sched_pool_set(struct vmctl *h, const struct basalt_sysctl_sched_pool_op *op)
{
	struct basalt_sysctl_sched_pool_op copy = *op;

	copy.cmd = BASALT_SCHEDOP_putinfo;
	return pool_sched(h, &copy, NULL, 0, 0);
}

int vmctl_arinc653_get(struct vmctl *h, uint32_t pool, uint64_t *major_ns, uint32_t *nr)
{
	struct basalt_sysctl_sched_pool_op op = { .sched_id = BASALT_SCHED_arinc653 };
	int rc = vmctl_sched_pool_get(h, pool, &op);

	if (rc < 0)
		return rc;
	*major_ns = op.u.arinc653.major_frame_ns;
	*nr = op.u.arinc653.nr_entries;
	return 0;
}

int vmctl_arinc653_get_windows(struct vmctl *h, uint32_t pool, uint64_t *major_ns,
			       struct basalt_arinc653_entry *e, uint32_t *nr)
{
	struct basalt_sysctl_sched_pool_op op = { .poolid = pool,
						  .sched_id = BASALT_SCHED_arinc653,
						  .cmd = BASALT_SCHEDOP_getschedule };
	int rc;

	op.u.arinc653.nr_entries = VMCTL_ARINC653_MAX;
	rc = pool_sched(h, &op, e, VMCTL_ARINC653_MAX * sizeof(*e), BUF_OUT);
	if (rc < 0)
		return rc;
	if (op.u.arinc653.nr_entries > VMCTL_ARINC653_MAX)
		return vmctl_fail(h, -BASALT_EIO,
				  "get the arinc653 schedule of pool %u: %u windows", pool,
				  op.u.arinc653.nr_entries);
	*major_ns = op.u.arinc653.major_frame_ns;
	*nr = op.u.arinc653.nr_entries;
	return 0;
}

int vmctl_arinc653_set(struct vmctl *h, uint32_t pool, uint64_t major_ns,
		       const struct basalt_arinc653_entry *e, uint32_t nr)
{
	struct basalt_sysctl_sched_pool_op op = { .poolid = pool,
						  .sched_id = BASALT_SCHED_arinc653,
						  .cmd = BASALT_SCHEDOP_putinfo };
	uint64_t sum = 0;

	if (!nr || nr > VMCTL_ARINC653_MAX)
		return vmctl_fail(h, -BASALT_EINVAL, "arinc653 schedule: 1 to %d windows, not %u",
				  VMCTL_ARINC653_MAX, nr);
	for (uint32_t i = 0; i < nr; i++)
		sum += e[i].runtime_ns;
	if (sum > major_ns)
		return vmctl_fail(h, -BASALT_EINVAL,
				  "arinc653 schedule: windows last %llu ns, more than the major "
				  "frame (%llu ns)",
				  (unsigned long long)sum, (unsigned long long)major_ns);
	op.u.arinc653.major_frame_ns = major_ns;
	op.u.arinc653.nr_entries = nr;
	return pool_sched(h, &op, e, nr * sizeof(*e), BUF_IN);
}

/* --- cpupools --- */

static int pool_op(struct vmctl *h, vmctl_poolinfo_t *op, const char *what)
{
	struct basalt_sysctl sc = { .cmd = BASALT_SYSCTL_cpupool_op };
	int rc;

	sc.u.cpupool_op = *op;
	rc = sysctl(h, &sc, NULL, 0, 0, 0, what);
	if (rc >= 0)
		*op = sc.u.cpupool_op;
	return rc < 0 ? rc : 0;
}

int vmctl_cpupool_create(struct vmctl *h, uint32_t sched_id, uint32_t *pool)
{
	vmctl_poolinfo_t op = { .op = BASALT_CPUPOOL_create,
				.poolid = *pool,
				.sched_id = sched_id };
	int rc = pool_op(h, &op, "create a cpupool");

	if (!rc)
		*pool = op.poolid;
	return rc;
}

int vmctl_cpupool_list(struct vmctl *h, vmctl_cpupool_t *out, unsigned int max)
{
	enum {
		PER_CALL = BASALT_PAGE_SIZE / sizeof(vmctl_cpupool_t)
	};
	unsigned int n = 0;
	uint32_t first = 0;

	while (n < max) {
		struct basalt_sysctl sc = { .cmd = BASALT_SYSCTL_cpupool_list };
		unsigned int room = max - n < PER_CALL ? max - n : PER_CALL;
		uint32_t got;
		int rc;

		sc.u.cpupool_list.first_pool = first;
		sc.u.cpupool_list.max_pools = room;
		rc = sysctl(h, &sc, &out[n], room * sizeof(*out), BUF_OUT,
			    offsetof(struct basalt_sysctl_cpupool_list, buf_gpa),
			    "list the cpupools");
		if (rc < 0)
			return rc;
		got = sc.u.cpupool_list.nr_pools;
		if (got > room)
			return vmctl_fail(h, -BASALT_EIO,
					  "list the cpupools: bad count from hypervisor");
		n += got;
		if (got < room)
			break;
		first = out[n - 1].poolid + 1u;
	}
	return (int)n;
}

int vmctl_cpupool_destroy(struct vmctl *h, uint32_t pool)
{
	vmctl_poolinfo_t op = { .op = BASALT_CPUPOOL_destroy, .poolid = pool };
	char what[64];

	WHAT(what, "destroy cpupool %u", pool);
	return pool_op(h, &op, what);
}

int vmctl_cpupool_info(struct vmctl *h, uint32_t pool, vmctl_poolinfo_t *info)
{
	char what[64];

	memset(info, 0, sizeof(*info));
	info->op = BASALT_CPUPOOL_info;
	info->poolid = pool;
	WHAT(what, "read cpupool %u", pool);
	return pool_op(h, info, what);
}

int vmctl_cpupool_cpu_add(struct vmctl *h, uint32_t pool, uint32_t cpu)
{
	vmctl_poolinfo_t op = { .op = BASALT_CPUPOOL_addcpu, .poolid = pool, .cpu = cpu };
	char what[64];

	WHAT(what, "add CPU %u to cpupool %u", cpu, pool);
	return pool_op(h, &op, what);
}

/* The pCPU the call runs on may go too: Basalt finishes its removal as the call ends. */
int vmctl_cpupool_cpu_remove(struct vmctl *h, uint32_t pool, uint32_t cpu)
{
	vmctl_poolinfo_t op = { .op = BASALT_CPUPOOL_rmcpu, .poolid = pool, .cpu = cpu };
	char what[64];

	WHAT(what, "remove CPU %u from cpupool %u", cpu, pool);
	return pool_op(h, &op, what);
}

int vmctl_cpupool_migrate(struct vmctl *h, basalt_domid_t d, uint32_t pool)
{
	vmctl_poolinfo_t op = { .op = BASALT_CPUPOOL_movedomain, .poolid = pool, .domid = d };
	char what[64];

	WHAT(what, "move domain %u to cpupool %u", d, pool);
	return pool_op(h, &op, what);
}

/* --- CPU maps --- */

static int parse_cpu(const char **s, unsigned long *cpu)
{
	char *end;

	if (!isdigit((unsigned char)**s))
		return -BASALT_EINVAL;
	*cpu = strtoul(*s, &end, 10);
	*s = end;
	return *cpu < VMCTL_MAX_CPUS ? 0 : -BASALT_ERANGE;
}

int vmctl_cpumap_parse(const char *s, vmctl_cpumap_t *map)
{
	memset(map, 0, sizeof(*map));
	if (!strcmp(s, "all")) {
		memset(map, 0xff, sizeof(*map));
		return 0;
	}
	for (;;) {
		unsigned long lo, hi;
		int rc = parse_cpu(&s, &lo);

		if (rc)
			return rc;
		hi = lo;
		if (*s == '-') {
			s++;
			rc = parse_cpu(&s, &hi);
			if (rc || hi < lo)
				return rc ? rc : -BASALT_EINVAL;
		}
		for (unsigned long c = lo; c <= hi; c++)
			map->w[c / 64] |= 1ull << (c % 64);
		if (!*s)
			return 0;
		if (*s++ != ',')
			return -BASALT_EINVAL;
	}
}

static bool cpu_set(const vmctl_cpumap_t *map, unsigned int c)
{
	return c < VMCTL_MAX_CPUS && (map->w[c / 64] >> (c % 64) & 1);
}

void vmctl_cpumap_format(const vmctl_cpumap_t *map, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int c = 0;

	buf[0] = '\0';
	while (c < VMCTL_MAX_CPUS) {
		unsigned int lo = c;

		if (!cpu_set(map, c++))
			continue;
		while (cpu_set(map, c))
			c++;
		off +=
		    (size_t)snprintf(buf + off, off < len ? len - off : 0,
				     c - 1 == lo ? "%s%u" : "%s%u-%u", off ? "," : "", lo, c - 1);
	}
	if (!off)
		snprintf(buf, len, "-");
	else if (!strcmp(buf, "0-255"))
		snprintf(buf, len, "all");
}
