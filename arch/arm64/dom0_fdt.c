// SPDX-License-Identifier: MIT
/*
 * dom0's device tree from the host's (asm/dom0_fdt.h). Plain C over
 * libfdt's read-write API on a copy of the host tree, so it builds for the
 * host too (tests/unit/test_dom0_fdt.c).
 *
 * Order: copy the host tree; note what must survive from it (the GIC's
 * phandle, the host UART's clocks); drop every node dom0 does not get (at
 * any depth under simple-buses) and the MSI links to the ITS it does not
 * get either; then rewrite or add the nodes dom0 sees. Nodes are found again by
 * path or compatible after each change, since libfdt offsets move.
 */
#include <asm/dom0_devices.h>
#include <asm/dom0_fdt.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <basalt/lib.h>
#include <libfdt.h>
#include <public/basalt.h>
#include <public/errno.h>

#define DT_IRQ_SPI	0
#define DT_IRQ_PPI	1
#define DT_IRQ_LEVEL_HI 4
#define CLOCKS_MAX	64 /* bytes of the host UART's clocks/clock-names kept */

/* What survives from the host tree while its nodes are rewritten. */
struct host_bits {
	int addr_cells; /* root #address-cells / #size-cells, 1 or 2 */
	int size_cells;
	uint32_t gic_phandle;
	uint8_t clocks[CLOCKS_MAX];
	int clocks_len; /* 0: the host UART had none */
	char clock_names[CLOCKS_MAX];
	int clock_names_len;
};

static long fdt_to_errno(int err)
{
	return err == -FDT_ERR_NOSPACE ? -BASALT_ENOSPC : -BASALT_EINVAL;
}

/*
 * A host device node dom0 gets: enabled, not Basalt's, well described
 * (asm/dom0_devices.h), every MMIO range it needs reached 1:1 and every
 * SPI it names forwarded. A device in dom0's tree that faults or whose
 * interrupt never comes would stop or hang Linux, so anything less drops it.
 */
static bool node_owned(const void *fdt, int node, const struct dom0_fdt_owner *o)
{
	struct dom0_dev_needs n;
	unsigned int i, intid;

	if (!o || !o->mmio || !dom0_dev_enabled(fdt, node) || dom0_dev_basalt_owned(fdt, node) ||
	    dom0_dev_needs(fdt, node, &n))
		return false;
	for (i = 0; i < n.nr_mmio; i++)
		if (!o->mmio(n.mmio[i].start, n.mmio[i].size, o->arg))
			return false;
	for (intid = 0; intid < DOM0_DEV_NR_INTIDS; intid++)
		if ((n.spis[intid / 32] & (1u << (intid % 32))) &&
		    (!o->spi || !o->spi(intid, o->arg)))
			return false;
	return true;
}

/* Nodes dom0 keeps as the host describes them, wherever they are. */
static bool keep_node(const void *fdt, int node, const struct dom0_fdt_owner *o)
{
	static const char *const keep_compat[] = { "arm,gic-v3", "arm,armv8-timer",
						   "arm,armv7-timer", "fixed-clock" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keep_compat); i++)
		if (fdt_stringlist_search(fdt, node, "compatible", keep_compat[i]) >= 0)
			return true;
	return node_owned(fdt, node, o);
}

/*
 * Delete every child of parent dom0 does not get; simple-buses are pruned
 * first and go when nothing is left on them. A deleted node's next sibling
 * moves to its offset; the parent's offset does not move.
 */
static int prune(void *fdt, int parent, const struct dom0_fdt_owner *o, int depth)
{
	int node = fdt_first_subnode(fdt, parent), next, rc;
	bool keep;

	while (node >= 0) {
		if (dom0_dev_is_bus(fdt, node) && dom0_dev_enabled(fdt, node) &&
		    depth < DOM0_DEV_MAX_DEPTH) {
			rc = prune(fdt, node, o, depth + 1);
			if (rc)
				return rc;
			keep = fdt_first_subnode(fdt, node) >= 0;
		} else {
			keep = keep_node(fdt, node, o);
		}
		if (keep) {
			node = fdt_next_subnode(fdt, node);
			continue;
		}
		rc = fdt_del_node(fdt, node);
		if (rc)
			return rc;
		while (fdt_next_tag(fdt, node, &next) == FDT_NOP)
			node = next;
		if (fdt_next_tag(fdt, node, &next) != FDT_BEGIN_NODE)
			break;
	}
	return node == -FDT_ERR_NOTFOUND || node >= 0 ? 0 : node;
}

/* No ITS in the vGIC: PCI host bridges fall back to INTx without these. */
static int drop_msi(void *fdt)
{
	static const char *const props[] = { "msi-map", "msi-map-mask", "msi-parent" };
	unsigned int i;
	int node, rc;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL))
		for (i = 0; i < ARRAY_SIZE(props); i++) {
			rc = fdt_delprop(fdt, node, props[i]);
			if (rc && rc != -FDT_ERR_NOTFOUND)
				return rc;
		}
	return node == -FDT_ERR_NOTFOUND ? 0 : node;
}

static int drop_mem_reservations(void *fdt)
{
	int rc = 0;

	while (!rc && fdt_num_mem_rsv(fdt) > 0)
		rc = fdt_del_mem_rsv(fdt, 0);
	return rc;
}

/* The stdout-path node's clocks (a path, optionally ":options"). */
static void save_uart_clocks(const void *fdt, struct host_bits *h)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node, len;
	const char *path, *colon;
	const void *prop;

	path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (!path || len < 2 || path[len - 1] != '\0')
		return;
	colon = strchr(path, ':');
	node = fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : len - 1);
	if (node < 0)
		return;
	prop = fdt_getprop(fdt, node, "clocks", &len);
	if (prop && len > 0 && len <= CLOCKS_MAX) {
		memcpy(h->clocks, prop, (size_t)len);
		h->clocks_len = len;
	}
	prop = fdt_getprop(fdt, node, "clock-names", &len);
	if (prop && len > 0 && len <= CLOCKS_MAX && ((const char *)prop)[len - 1] == '\0') {
		memcpy(h->clock_names, prop, (size_t)len);
		h->clock_names_len = len;
	}
}

static int save_host_bits(void *fdt, struct host_bits *h)
{
	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	int rc;

	h->addr_cells = fdt_address_cells(fdt, 0);
	h->size_cells = fdt_size_cells(fdt, 0);
	if (gic < 0 || h->addr_cells < 1 || h->addr_cells > 2 || h->size_cells < 1 ||
	    h->size_cells > 2)
		return -FDT_ERR_BADSTRUCTURE;
	/* The root's interrupt-parent names the GIC: keep or give it a phandle. */
	h->gic_phandle = fdt_get_phandle(fdt, gic);
	if (!h->gic_phandle) {
		rc = fdt_generate_phandle(fdt, &h->gic_phandle);
		if (!rc)
			rc = fdt_setprop_u32(fdt, gic, "phandle", h->gic_phandle);
		if (rc)
			return rc;
	}
	save_uart_clocks(fdt, h);
	return 0;
}

/* Append one (address, size) pair in the root's cells to a reg buffer. */
static int reg_append(const struct host_bits *h, fdt32_t *cells, int n, uint64_t addr,
		      uint64_t size)
{
	if (h->addr_cells == 2)
		cells[n++] = cpu_to_fdt32((uint32_t)(addr >> 32));
	else if (addr >> 32)
		return -1;
	cells[n++] = cpu_to_fdt32((uint32_t)addr);
	if (h->size_cells == 2)
		cells[n++] = cpu_to_fdt32((uint32_t)(size >> 32));
	else if (size >> 32)
		return -1;
	cells[n++] = cpu_to_fdt32((uint32_t)size);
	return n;
}

static int set_reg(void *fdt, int node, const struct host_bits *h, const uint64_t *pairs,
		   int nr_pairs)
{
	fdt32_t cells[16];
	int i, n = 0;

	for (i = 0; i < nr_pairs; i++) {
		n = reg_append(h, cells, n, pairs[2 * i], pairs[2 * i + 1]);
		if (n < 0)
			return -FDT_ERR_BADVALUE;
	}
	return fdt_setprop(fdt, node, "reg", cells, n * (int)sizeof(fdt32_t));
}

static int set_irq(void *fdt, int node, uint32_t type, uint32_t num)
{
	fdt32_t irq[3] = { cpu_to_fdt32(type), cpu_to_fdt32(num), cpu_to_fdt32(DT_IRQ_LEVEL_HI) };

	return fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq));
}

/* The vGICv3: its distributor and one redistributor frame pair per vCPU. */
static int write_gic(void *fdt, const struct host_bits *h, unsigned int nr_vcpus)
{
	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3"), child, rc;
	uint64_t reg[4] = { VGIC_DIST_BASE, VGIC_DIST_SIZE, VGIC_REDIST_BASE,
			    VGIC_REDIST_SIZE * nr_vcpus };

	if (gic < 0)
		return gic;
	/* No ITS (the vGIC emulates none), no maintenance interrupt (Basalt's). */
	while ((child = fdt_first_subnode(fdt, gic)) >= 0) {
		rc = fdt_del_node(fdt, child);
		if (rc)
			return rc;
		gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	}
	rc = fdt_delprop(fdt, gic, "interrupts");
	if (rc && rc != -FDT_ERR_NOTFOUND)
		return rc;
	rc = fdt_setprop_u32(fdt, gic, "#redistributor-regions", 1);
	return rc ? rc : set_reg(fdt, gic, h, reg, 2);
}

static int add_node(void *fdt, const char *path, const char *name)
{
	int parent = fdt_path_offset(fdt, path);

	return parent < 0 ? parent : fdt_add_subnode(fdt, parent, name);
}

static int write_cpu(void *fdt, int cpus, unsigned int id)
{
	char name[16];
	int node, rc;

	snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)arm64_vcpu_affinity(id));
	node = fdt_add_subnode(fdt, cpus, name);
	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "device_type", "cpu");
	if (!rc)
		rc = fdt_setprop_string(fdt, node, "compatible", "arm,armv8");
	if (!rc)
		rc = fdt_setprop_string(fdt, node, "enable-method", "psci");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "reg", (uint32_t)arm64_vcpu_affinity(id));
	return rc;
}

static int write_cpus(void *fdt, unsigned int nr_vcpus)
{
	int cpus = add_node(fdt, "/", "cpus"), rc;
	unsigned int i;

	if (cpus < 0)
		return cpus;
	rc = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
	/* Added in reverse: fdt_add_subnode puts each new node first. */
	for (i = nr_vcpus; !rc && i-- > 0;) {
		cpus = fdt_path_offset(fdt, "/cpus");
		rc = cpus < 0 ? cpus : write_cpu(fdt, cpus, i);
	}
	return rc;
}

static int write_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int node = add_node(fdt, "/", "psci"), rc;

	if (node < 0)
		return node;
	rc = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));
	return rc ? rc : fdt_setprop_string(fdt, node, "method", "hvc");
}

static int write_memory(void *fdt, const struct host_bits *h, const struct dom0_dt_params *p)
{
	uint64_t reg[2] = { p->ram_base, p->ram_size };
	char name[32];
	int node, rc;

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->ram_base);
	node = add_node(fdt, "/", name);
	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "device_type", "memory");
	return rc ? rc : set_reg(fdt, node, h, reg, 1);
}

/* Without the host UART's clocks, a fixed 24 MHz clock of our own. */
static int uart_clock(void *fdt, struct host_bits *h)
{
	fdt32_t ph[2];
	uint32_t phandle;
	int node, rc;

	if (h->clocks_len)
		return 0;
	node = add_node(fdt, "/", "basalt-uart-clk");
	if (node < 0)
		return node;
	rc = fdt_generate_phandle(fdt, &phandle);
	if (!rc)
		rc = fdt_setprop_string(fdt, node, "compatible", "fixed-clock");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#clock-cells", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "clock-frequency", 24000000);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "phandle", phandle);
	ph[0] = ph[1] = cpu_to_fdt32(phandle);
	memcpy(h->clocks, ph, sizeof(ph));
	h->clocks_len = sizeof(ph);
	memcpy(h->clock_names, "uartclk\0apb_pclk", 17);
	h->clock_names_len = 17;
	return rc;
}

static int write_uart(void *fdt, struct host_bits *h)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	uint64_t reg[2] = { VPL011_BASE, VPL011_SIZE };
	int node, rc = uart_clock(fdt, h);

	node = rc ? rc : add_node(fdt, "/", DOM0_FDT_UART_PATH + 1);
	if (node < 0)
		return node;
	rc = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));
	if (!rc)
		rc = set_reg(fdt, node, h, reg, 1);
	if (!rc)
		rc = set_irq(fdt, node, DT_IRQ_SPI, VPL011_SPI - 32);
	if (!rc)
		rc = fdt_setprop(fdt, node, "clocks", h->clocks, h->clocks_len);
	if (!rc && h->clock_names_len)
		rc = fdt_setprop(fdt, node, "clock-names", h->clock_names, h->clock_names_len);
	return rc;
}

/* What tools/linux looks for: the compatible and the upcall PPI. */
static int write_hypervisor(void *fdt, const struct host_bits *h)
{
	int node = add_node(fdt, "/", "hypervisor"), rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "compatible", "basalt,hypervisor");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "basalt,abi-version", BASALT_INTERFACE_VERSION);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "interrupt-parent", h->gic_phandle);
	if (!rc)
		rc = set_irq(fdt, node, DT_IRQ_PPI, DOM0_FDT_UPCALL_PPI);
	return rc;
}

static int write_chosen(void *fdt, const struct dom0_dt_params *p)
{
	int node = add_node(fdt, "/", "chosen"), rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "bootargs", p->bootargs ? p->bootargs : "");
	if (!rc)
		rc = fdt_setprop_string(fdt, node, "stdout-path", DOM0_FDT_UART_PATH);
	if (!rc && p->initrd_end > p->initrd_start) {
		rc = fdt_setprop_u64(fdt, node, "linux,initrd-start", p->initrd_start);
		if (!rc)
			rc = fdt_setprop_u64(fdt, node, "linux,initrd-end", p->initrd_end);
	}
	return rc;
}

static bool params_ok(const struct dom0_dt_params *p)
{
	return p->nr_vcpus >= 1 && p->nr_vcpus <= VGIC_REDIST_MAX && p->ram_size &&
	       p->ram_base + p->ram_size > p->ram_base && p->initrd_end >= p->initrd_start;
}

static int rewrite(void *fdt, const struct dom0_dt_params *p, const struct dom0_fdt_owner *o)
{
	struct host_bits h = { 0 };
	int rc = save_host_bits(fdt, &h);

	if (!rc)
		rc = drop_mem_reservations(fdt);
	if (!rc)
		rc = prune(fdt, 0, o, 0);
	if (!rc)
		rc = drop_msi(fdt);
	if (!rc)
		rc = write_gic(fdt, &h, p->nr_vcpus);
	if (!rc)
		rc = write_cpus(fdt, p->nr_vcpus);
	if (!rc)
		rc = write_psci(fdt);
	if (!rc)
		rc = write_memory(fdt, &h, p);
	if (!rc)
		rc = write_uart(fdt, &h);
	if (!rc)
		rc = write_hypervisor(fdt, &h);
	if (!rc)
		rc = write_chosen(fdt, p);
	return rc;
}

/*
 * Copy the host tree's blocks (header, reservations, structure, strings)
 * back to back into buf. fdt_open_into() alone would insist on room for the
 * host's whole totalsize, free space included (QEMU passes 1 MiB).
 */
static int copy_compact(const void *host, void *buf, size_t size)
{
	uint32_t hdr = FDT_V17_SIZE;
	uint32_t rsv = ((uint32_t)fdt_num_mem_rsv(host) + 1) * sizeof(struct fdt_reserve_entry);
	uint32_t st = fdt_size_dt_struct(host), str = fdt_size_dt_strings(host);
	char *b = buf;

	if (fdt_version(host) < 17 || fdt_num_mem_rsv(host) < 0)
		return -FDT_ERR_BADVERSION;
	if ((uint64_t)hdr + rsv + st + str > size)
		return -FDT_ERR_NOSPACE;
	memcpy(b, host, hdr);
	memcpy(b + hdr, (const char *)host + fdt_off_mem_rsvmap(host), rsv);
	memcpy(b + hdr + rsv, (const char *)host + fdt_off_dt_struct(host), st);
	memcpy(b + hdr + rsv + st, (const char *)host + fdt_off_dt_strings(host), str);
	fdt_set_off_mem_rsvmap(b, hdr);
	fdt_set_off_dt_struct(b, hdr + rsv);
	fdt_set_off_dt_strings(b, hdr + rsv + st);
	fdt_set_totalsize(b, hdr + rsv + st + str);
	fdt_set_version(b, 17);
	return fdt_check_header(b) ? -FDT_ERR_BADSTRUCTURE : fdt_open_into(b, b, (int)size);
}

long dom0_fdt_build(const void *host, const struct dom0_dt_params *p,
		    const struct dom0_fdt_owner *owner, void *buf, size_t size)
{
	int rc;

	if (!params_ok(p) || size > 0x7fffffffu || fdt_check_header(host))
		return -BASALT_EINVAL;
	rc = copy_compact(host, buf, size);
	if (!rc)
		rc = rewrite(buf, p, owner);
	if (!rc)
		rc = fdt_pack(buf);
	return rc ? fdt_to_errno(rc) : (long)fdt_totalsize(buf);
}
