// SPDX-License-Identifier: MIT
/*
 * The domain builder: turns a checked configuration and the loaded kernel
 * (and initrd) into a paused domain whose vCPU 0 enters the kernel at EL1
 * with the MMU off and x0 = the device tree's address (the arm64 Linux boot
 * protocol). Everything that can be checked without the hypervisor is
 * checked before the domain is created; after that, one unwind path
 * destroys it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

#define SPSR_EL1H_DAIF	  0x3c5ull	/* EL1h, D, A, I and F masked */
#define SCTLR_EL1_MMU_OFF 0x30d00800ull /* RES1 bits only: MMU and caches off */
#define DT_BUF_SIZE	  (64u * 1024)

static int pool_id(struct vmctl *h, const char *pool, uint32_t *id)
{
	const char *digits = !strncmp(pool, "Pool-", 5) ? pool + 5 : pool;
	char *end;
	unsigned long v;

	if (!*pool) {
		*id = 0;
		return 0;
	}
	v = strtoul(digits, &end, 10);
	if (!*digits || *end || v > 0xffff)
		return vmctl_fail(h, -BASALT_EINVAL, "pool '%s': use Pool-N or a pool number",
				  pool);
	*id = (uint32_t)v;
	return 0;
}

static int set_sched(struct vmctl *h, const struct vmctl_config *cfg, basalt_domid_t d,
		     uint32_t pool)
{
	struct basalt_sched_params p = { 0 };
	vmctl_poolinfo_t pi;
	int rc = vmctl_cpupool_info(h, pool, &pi);

	if (rc)
		return rc;
	p.sched_id = pi.sched_id;
	p.vcpu = BASALT_SCHED_ALL_VCPUS;
	if (pi.sched_id == BASALT_SCHED_credit || pi.sched_id == BASALT_SCHED_credit2) {
		if (!(cfg->set & (CFG_SET_WEIGHT | CFG_SET_CAP)))
			return 0;
		p.u.credit.weight = cfg->weight;
		p.u.credit.cap = cfg->cap;
	} else if (pi.sched_id == BASALT_SCHED_rtds) {
		if (!(cfg->set & (CFG_SET_PERIOD | CFG_SET_BUDGET | CFG_SET_EXTRATIME)))
			return 0;
		p.u.rtds.period_ns = cfg->period_us * 1000;
		p.u.rtds.budget_ns =
		    (cfg->set & CFG_SET_BUDGET ? cfg->budget_us : cfg->period_us) * 1000;
		p.u.rtds.flags = cfg->extratime ? BASALT_RTDS_F_extratime : 0;
	} else {
		return 0; /* arinc653: windows are per pool (vmctl sched-arinc653) */
	}
	return vmctl_sched_set(h, d, &p);
}

static int set_vcpus(struct vmctl *h, const struct vmctl_config *cfg, basalt_domid_t d,
		     const struct guest_layout *lay)
{
	struct basalt_vcpu_context ctx = { .arch = BASALT_ARCH_ARM64,
					   .flags = BASALT_CTX_F_ONLINE };
	int rc;

	ctx.pc = lay->entry;
	ctx.flags_reg = SPSR_EL1H_DAIF;
	ctx.gpr[0] = lay->dtb_gpa;
	ctx.sys[BASALT_CTX_ARM64_SCTLR] = SCTLR_EL1_MMU_OFF;
	/* Only vCPU 0 starts; the guest brings up the others with PSCI CPU_ON. */
	rc = vmctl_vcpu_set_context(h, d, 0, &ctx);
	for (uint32_t v = 0; !rc && (cfg->set & CFG_SET_CPUS) && v < cfg->vcpus; v++)
		rc = vmctl_vcpu_set_affinity(h, d, v, BASALT_VCPUAFF_hard, &cfg->cpus);
	return rc;
}

static int load_all(struct vmctl *h, basalt_domid_t d, const struct guest_layout *lay,
		    const void *kernel, const void *initrd, const void *dtb, int dtb_len)
{
	struct basalt_memmap_entry ram = { .gpa = lay->ram_base,
					   .size = lay->ram_size,
					   .type = BASALT_MEMMAP_RAM };
	int rc = vmctl_populate(h, d, lay->ram_base >> BASALT_PAGE_SHIFT,
				lay->ram_size >> BASALT_PAGE_SHIFT);

	if (!rc)
		rc = vmctl_set_memory_map(h, d, &ram, 1);
	if (!rc)
		rc = vmctl_load(h, d, lay->kernel_gpa, kernel, lay->kernel_len);
	if (!rc && lay->initrd_len)
		rc = vmctl_load(h, d, lay->initrd_gpa, initrd, lay->initrd_len);
	if (!rc)
		rc = vmctl_load(h, d, lay->dtb_gpa, dtb, (uint64_t)dtb_len);
	return rc;
}

int build_domain(struct vmctl *h, const struct vmctl_config *cfg, const void *kernel,
		 size_t kernel_len, const void *initrd, size_t initrd_len, basalt_domid_t *domid)
{
	struct image_info img;
	struct guest_layout lay;
	char why[160];
	uint32_t pool = 0;
	void *dtb;
	int rc, dtb_len;

	if (image_probe(kernel, kernel_len, &img, why, sizeof(why)))
		return vmctl_fail(h, -BASALT_EINVAL, "%s: %s", cfg->kernel, why);
	rc = layout_plan(&img, kernel_len, initrd ? initrd_len : 0, cfg->memory_mb << 20, &lay, why,
			 sizeof(why));
	if (rc)
		return vmctl_fail(h, rc, "%s", why);
	rc = pool_id(h, cfg->pool, &pool);
	if (rc)
		return rc;
	dtb = calloc(1, DT_BUF_SIZE);
	if (!dtb)
		return vmctl_fail(h, -BASALT_ENOMEM, "out of memory for the device tree");
	dtb_len = dt_build(dtb, DT_BUF_SIZE, cfg, &lay);
	if (dtb_len < 0) {
		free(dtb);
		return vmctl_fail(h, dtb_len, "cannot build the device tree (%s)",
				  vmctl_strerror(dtb_len));
	}
	*domid = BASALT_DOMID_ANY;
	rc = vmctl_domain_create(h, 0, cfg->vcpus, (uint64_t)cfg->memory_mb << (20 - 12), pool,
				 domid);
	if (rc)
		goto out;
	rc = load_all(h, *domid, &lay, kernel, initrd, dtb, dtb_len);
	if (!rc)
		rc = set_vcpus(h, cfg, *domid, &lay);
	if (!rc)
		rc = set_sched(h, cfg, *domid, pool);
	if (rc) {
		/* Keep the first error's message, not the destroy's. */
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", vmctl_error(h));
		vmctl_domain_destroy(h, *domid);
		vmctl_fail(h, rc, "%s", msg);
	}
out:
	free(dtb);
	return rc;
}
