// SPDX-License-Identifier: MIT
/*
 * Device tree -> struct dt_platform. Plain C over libfdt and the core's
 * string functions, so it builds for the host too (tests/unit/test_dt_platform.c).
 *
 * The tree comes from firmware or a boot loader: every property length is
 * checked before it is read, and tables that would overflow drop entries
 * (reported as DT_ETOOMANY) instead of writing past their end.
 *
 * Addresses are taken as they are in the node's parent bus; Basalt only
 * reads devices that sit on the root bus or behind an identity "ranges;",
 * which is what QEMU virt and the boards we target describe.
 */
#include <basalt/dt_platform.h>
#include <basalt/lib.h>
#include <libfdt.h>

#define GIC_SPI_BASE	     32
#define GIC_PPI_BASE	     16
#define DT_IRQ_TYPE_SPI	     0
#define DT_IRQ_TYPE_PPI	     1
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u

struct dt_cells {
	int addr; /* #address-cells of the parent bus */
	int size; /* #size-cells of the parent bus */
};

static uint64_t dt_read_cells(const fdt32_t *cell, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_ld(cell++);
	return v;
}

static struct dt_cells dt_bus_cells(const void *fdt, int bus)
{
	struct dt_cells c = { fdt_address_cells(fdt, bus), fdt_size_cells(fdt, bus) };

	/* Out-of-range values are a broken tree: make every reg unreadable. */
	if (c.addr < 1 || c.addr > 2 || c.size < 0 || c.size > 2)
		c.addr = c.size = -1;
	return c;
}

/* The index-th (address, size) pair of node's reg, in its parent's cells. */
static bool dt_get_reg(const void *fdt, int node, int index, struct dt_cells c,
		       struct dt_range *out)
{
	const fdt32_t *reg;
	int len, stride;

	if (c.addr < 0)
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	stride = c.addr + c.size;
	if (!reg || len < 0 || index < 0 || (index + 1) * stride * 4 > len)
		return false;
	reg += index * stride;
	out->start = dt_read_cells(reg, c.addr);
	out->size = dt_read_cells(reg + c.addr, c.size);
	return true;
}

static bool dt_node_reg(const void *fdt, int node, int index, struct dt_range *out)
{
	return dt_get_reg(fdt, node, index, dt_bus_cells(fdt, fdt_parent_offset(fdt, node)), out);
}

/* The index-th interrupt of node as a GIC INTID (3-cell GIC specifier). */
static unsigned int dt_node_irq(const void *fdt, int node, int index)
{
	const fdt32_t *irq;
	uint32_t type, num;
	int len;

	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len < 0 || index < 0 || (index + 1) * 12 > len)
		return 0;
	type = fdt32_ld(&irq[index * 3]);
	num = fdt32_ld(&irq[index * 3 + 1]);
	if (type == DT_IRQ_TYPE_SPI && num < 988)
		return GIC_SPI_BASE + num;
	if (type == DT_IRQ_TYPE_PPI && num < 16)
		return GIC_PPI_BASE + num;
	return 0;
}

static int dt_add_range(struct dt_range *tab, unsigned int *nr, unsigned int max, struct dt_range r)
{
	if (!r.size)
		return DT_OK;
	if (*nr >= max)
		return DT_ETOOMANY;
	tab[(*nr)++] = r;
	return DT_OK;
}

static int dt_add_reserved(struct dt_platform *p, paddr_t start, uint64_t size)
{
	struct dt_range r = { start, size };

	return dt_add_range(p->reserved, &p->nr_reserved, DT_MAX_RESERVED, r);
}

static bool dt_is_memory_node(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);

	return type && !strcmp(type, "memory") && fdt_get_property(fdt, node, "reg", NULL);
}

static int dt_parse_memory(const void *fdt, struct dt_platform *p)
{
	struct dt_cells c = dt_bus_cells(fdt, 0);
	struct dt_range r;
	int node, i, rc = DT_OK;

	fdt_for_each_subnode(node, fdt, 0)
	{
		if (!dt_is_memory_node(fdt, node))
			continue;
		for (i = 0; dt_get_reg(fdt, node, i, c, &r); i++)
			if (dt_add_range(p->mem, &p->nr_mem, DT_MAX_MEM_BANKS, r))
				rc = DT_ETOOMANY;
	}
	return rc;
}

static int dt_parse_reserved(const void *fdt, struct dt_platform *p)
{
	struct dt_range r;
	uint64_t addr, size;
	int node, i, n, rc = DT_OK;

	n = fdt_num_mem_rsv(fdt);
	for (i = 0; i < n; i++)
		if (!fdt_get_mem_rsv(fdt, i, &addr, &size) && dt_add_reserved(p, addr, size))
			rc = DT_ETOOMANY;
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node < 0)
		return rc;
	/* Only static regions (with reg); dynamic ones have nothing to keep. */
	fdt_for_each_subnode(
	    n, fdt, node) for (i = 0; dt_get_reg(fdt, n, i, dt_bus_cells(fdt, node), &r);
			       i++) if (dt_add_reserved(p, r.start, r.size)) rc = DT_ETOOMANY;
	return rc;
}

static int dt_parse_cpus(const void *fdt, struct dt_platform *p)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	struct dt_cells c;
	const fdt32_t *reg;
	const char *type;
	int node, len;

	if (cpus < 0)
		return DT_OK;
	c = dt_bus_cells(fdt, cpus);
	fdt_for_each_subnode(node, fdt, cpus)
	{
		type = fdt_getprop(fdt, node, "device_type", NULL);
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!type || strcmp(type, "cpu") || !reg || c.addr < 0 || len < c.addr * 4)
			continue;
		if (p->nr_cpus >= CONFIG_NR_CPUS) {
			p->nr_cpus_ignored++;
			continue;
		}
		p->cpu_mpidr[p->nr_cpus++] = dt_read_cells(reg, c.addr);
	}
	return DT_OK;
}

static void dt_parse_gic_v3(const void *fdt, int node, struct dt_gic *g)
{
	const fdt32_t *nr_prop = fdt_getprop(fdt, node, "#redistributor-regions", NULL);
	uint32_t nr = nr_prop ? fdt32_ld(nr_prop) : 1;
	uint32_t i;

	g->version = 3;
	dt_node_reg(fdt, node, 0, &g->dist);
	for (i = 0; i < nr && g->nr_redist < DT_MAX_REDIST_REGIONS; i++)
		if (dt_node_reg(fdt, node, 1 + (int)i, &g->redist[g->nr_redist]))
			g->nr_redist++;
	dt_node_reg(fdt, node, 1 + (int)nr, &g->cpu);
	dt_node_reg(fdt, node, 2 + (int)nr, &g->hyp);
	dt_node_reg(fdt, node, 3 + (int)nr, &g->vcpu);
}

static void dt_parse_gic_v2(const void *fdt, int node, struct dt_gic *g)
{
	g->version = 2;
	dt_node_reg(fdt, node, 0, &g->dist);
	dt_node_reg(fdt, node, 1, &g->cpu);
	dt_node_reg(fdt, node, 2, &g->hyp);
	dt_node_reg(fdt, node, 3, &g->vcpu);
}

static const char *const gic_v2_compat[] = { "arm,cortex-a15-gic", "arm,gic-400",
					     "arm,cortex-a9-gic" };

static void dt_parse_gic(const void *fdt, struct dt_platform *p)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	unsigned int i;

	if (node >= 0) {
		dt_parse_gic_v3(fdt, node, &p->gic);
	} else {
		for (i = 0; i < ARRAY_SIZE(gic_v2_compat) && node < 0; i++)
			node = fdt_node_offset_by_compatible(fdt, -1, gic_v2_compat[i]);
		if (node < 0)
			return;
		dt_parse_gic_v2(fdt, node, &p->gic);
	}
	p->gic.maint_irq = dt_node_irq(fdt, node, 0);
}

static void dt_parse_timer(const void *fdt, struct dt_platform *p)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv7-timer");
	if (node < 0)
		return;
	p->timer.present = true;
	p->timer.sec_phys_irq = dt_node_irq(fdt, node, 0);
	p->timer.phys_irq = dt_node_irq(fdt, node, 1);
	p->timer.virt_irq = dt_node_irq(fdt, node, 2);
	p->timer.hyp_irq = dt_node_irq(fdt, node, 3);
}

/* stdout-path is a path or an alias, optionally followed by ":options". */
static void dt_parse_uart(const void *fdt, struct dt_platform *p)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path, *colon;
	int node, len;

	if (chosen < 0)
		return;
	path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!path || len < 2 || path[len - 1] != '\0')
		return;
	colon = strchr(path, ':');
	node = fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : len - 1);
	if (node < 0 || !dt_node_reg(fdt, node, 0, &p->uart.regs))
		return;
	p->uart.irq = dt_node_irq(fdt, node, 0);
	path = fdt_getprop(fdt, node, "compatible", &len);
	if (path && len > 0)
		strlcpy(p->uart.compatible, path, MIN((size_t)len, sizeof(p->uart.compatible)));
}

static void dt_parse_psci(const void *fdt, struct dt_platform *p)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	const fdt32_t *cpu_on;
	const char *method;

	strlcpy(p->psci_version, "0.2+", sizeof(p->psci_version));
	p->psci_cpu_on = PSCI_0_2_FN64_CPU_ON;
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0) {
		/* PSCI 0.1: function IDs are given by the tree. */
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
		cpu_on = node >= 0 ? fdt_getprop(fdt, node, "cpu_on", NULL) : NULL;
		if (!cpu_on)
			return;
		p->psci_cpu_on = fdt32_ld(cpu_on);
		strlcpy(p->psci_version, "0.1", sizeof(p->psci_version));
	}
	method = fdt_getprop(fdt, node, "method", NULL);
	if (method && !strcmp(method, "smc"))
		p->psci_conduit = PSCI_CONDUIT_SMC;
	else if (method && !strcmp(method, "hvc"))
		p->psci_conduit = PSCI_CONDUIT_HVC;
}

static bool dt_prop_has_string(const void *fdt, int node, const char *prop, const char *s)
{
	return fdt_stringlist_search(fdt, node, prop, s) >= 0;
}

static enum boot_module_kind dt_module_kind(const void *fdt, int node)
{
	if (dt_prop_has_string(fdt, node, "compatible", "multiboot,kernel"))
		return BOOT_MODULE_KERNEL;
	if (dt_prop_has_string(fdt, node, "compatible", "multiboot,ramdisk"))
		return BOOT_MODULE_RAMDISK;
	return BOOT_MODULE_UNKNOWN;
}

/* Copy a string property, bounded by both its length and the buffer. */
static void dt_copy_string(const void *fdt, int node, const char *prop, char *buf, size_t size)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, prop, &len);
	if (!s || len <= 0)
		return;
	strlcpy(buf, s, MIN((size_t)len, size));
}

/*
 * Modules sit under /chosen, whose reg cells QEMU and GRUB give as the
 * root's (2/2) without always saying so: fall back to the root's cells.
 */
static int dt_parse_modules(const void *fdt, int chosen, struct dt_platform *p,
			    struct boot_info *bi)
{
	struct dt_cells c = { fdt_address_cells(fdt, 0), fdt_size_cells(fdt, 0) };
	struct boot_module *m;
	struct dt_range r;
	int node, rc = DT_OK;

	if (fdt_getprop(fdt, chosen, "#address-cells", NULL))
		c = dt_bus_cells(fdt, chosen);
	fdt_for_each_subnode(node, fdt, chosen)
	{
		if (!dt_prop_has_string(fdt, node, "compatible", "multiboot,module") ||
		    !dt_get_reg(fdt, node, 0, c, &r))
			continue;
		if (bi->nr_modules >= BOOT_MAX_MODULES) {
			rc = DT_ETOOMANY;
			continue;
		}
		m = &bi->modules[bi->nr_modules++];
		m->start = r.start;
		m->size = r.size;
		m->kind = dt_module_kind(fdt, node);
		dt_copy_string(fdt, node, "bootargs", m->cmdline, sizeof(m->cmdline));
		if (dt_add_reserved(p, r.start, r.size))
			rc = DT_ETOOMANY;
	}
	return rc;
}

/*
 * Loaders that only say "multiboot,module" (GRUB's xen_module) mean the
 * Xen convention: the first such module is the kernel, the second the
 * ramdisk, unless the tree names a kernel or ramdisk explicitly.
 */
static void dt_guess_module_kinds(struct boot_info *bi)
{
	enum boot_module_kind next = BOOT_MODULE_KERNEL;
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind != BOOT_MODULE_UNKNOWN)
			return;
	for (i = 0; i < bi->nr_modules && next != BOOT_MODULE_UNKNOWN; i++) {
		bi->modules[i].kind = next;
		next = next == BOOT_MODULE_KERNEL ? BOOT_MODULE_RAMDISK : BOOT_MODULE_UNKNOWN;
	}
}

static int dt_parse_chosen(const void *fdt, struct dt_platform *p, struct boot_info *bi)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int rc;

	if (chosen < 0)
		return DT_OK;
	dt_copy_string(fdt, chosen, "bootargs", bi->cmdline, sizeof(bi->cmdline));
	rc = dt_parse_modules(fdt, chosen, p, bi);
	dt_guess_module_kinds(bi);
	return rc;
}

int dt_platform_parse(const void *fdt, struct dt_platform *p, struct boot_info *bi)
{
	int rc = DT_OK;

	memset(p, 0, sizeof(*p));
	bi->cmdline[0] = '\0';
	bi->nr_modules = 0;
	if (fdt_check_header(fdt))
		return DT_EBADTREE;
	if (dt_parse_memory(fdt, p))
		rc = DT_ETOOMANY;
	if (dt_add_reserved(p, (paddr_t)(uintptr_t)fdt, fdt_totalsize(fdt)) ||
	    dt_parse_reserved(fdt, p) || dt_parse_chosen(fdt, p, bi))
		rc = DT_ETOOMANY;
	dt_parse_cpus(fdt, p);
	dt_parse_gic(fdt, p);
	dt_parse_timer(fdt, p);
	dt_parse_uart(fdt, p);
	dt_parse_psci(fdt, p);
	if (!p->nr_mem)
		return DT_ENOMEM;
	return rc;
}

const char *dt_psci_conduit_name(enum dt_psci_conduit c)
{
	static const char *const names[] = {
		[PSCI_CONDUIT_NONE] = "none",
		[PSCI_CONDUIT_SMC] = "smc",
		[PSCI_CONDUIT_HVC] = "hvc",
	};

	return (unsigned int)c < ARRAY_SIZE(names) ? names[c] : "?";
}
