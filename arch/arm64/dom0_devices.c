// SPDX-License-Identifier: MIT
/*
 * dom0's devices from the host device tree (asm/dom0_devices.h). Plain C
 * over libfdt, so it builds for the host too (tests/unit/test_dom0_devices.c).
 *
 * The tree comes from firmware: every cell count is bounded, every
 * property length checked before it is read, every address translated and
 * checked for wrap-around, and a device whose description is broken
 * anywhere is refused whole (reported) instead of half-given to dom0.
 */
#include <asm/dom0_devices.h>
#include <basalt/lib.h>
#include <libfdt.h>

#define GIC_SPI_BASE	  32
#define GIC_NR_SPIS	  988 /* INTIDs 32..1019 */
#define DT_IRQ_TYPE_SPI	  0
#define MAX_IRQ_CELLS	  4 /* libfdt's FDT_MAX_NCELLS */
#define PCI_ADDR_CELLS	  3
#define PCI_SPACE(hi)	  (((hi) >> 24) & 3)
#define PCI_SPACE_CONFIG  0
#define MAX_PCI_WINDOWS	  8
#define PAGE_MASK_4K	  0xfffULL
#define MAX_TRANSLATE_HOP DOM0_DEV_MAX_DEPTH

/* The GIC node of the tree: interrupts that name it are SPIs we route. */
static const char *const gic_compat[] = { "arm,gic-v3", "arm,cortex-a15-gic", "arm,gic-400",
					  "arm,cortex-a9-gic" };

/* Basalt's by compatible: the interrupt controller, the timer, PSCI, itself. */
static const char *const basalt_compat[] = {
	"arm,gic-v3",	   "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic",
	"arm,armv8-timer", "arm,armv7-timer",	 "arm,psci",	"arm,psci-0.2",
	"arm,psci-1.0",	   "basalt,hypervisor",	 "xen,xen",
};

/* Basalt's by name (root nodes it rewrites or that describe no device). */
static const char *const basalt_names[] = { "chosen",	       "cpus",	 "aliases",
					    "reserved-memory", "memory", "hypervisor" };

static uint64_t read_cells(const fdt32_t *c, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_ld(c++);
	return v;
}

static bool has_compat(const void *fdt, int node, const char *const *list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fdt_stringlist_search(fdt, node, "compatible", list[i]) >= 0)
			return true;
	return false;
}

/* A one-cell property; dflt when absent; -1 when malformed or above max. */
static int read_u32(const void *fdt, int node, const char *name, int dflt, int max)
{
	const fdt32_t *p;
	int len;
	uint32_t v;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return dflt;
	if (len != 4)
		return -1;
	v = fdt32_ld(p);
	return v > (uint32_t)max ? -1 : (int)v;
}

bool dom0_dev_enabled(const void *fdt, int node)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, "status", &len);
	if (!s)
		return true;
	return len > 0 && s[len - 1] == '\0' && (!strcmp(s, "okay") || !strcmp(s, "ok"));
}

bool dom0_dev_is_bus(const void *fdt, int node)
{
	return !fdt_getprop(fdt, node, "reg", NULL) &&
	       fdt_stringlist_search(fdt, node, "compatible", "simple-bus") >= 0;
}

/* "name@unit" or "name" matches name. */
static bool name_is(const char *full, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(full, name, n) && (full[n] == '\0' || full[n] == '@');
}

bool dom0_dev_basalt_owned(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL), *type;
	unsigned int i;

	if (has_compat(fdt, node, basalt_compat, ARRAY_SIZE(basalt_compat)))
		return true;
	type = fdt_getprop(fdt, node, "device_type", NULL);
	if (type && (!strcmp(type, "memory") || !strcmp(type, "cpu")))
		return true;
	for (i = 0; name && i < ARRAY_SIZE(basalt_names); i++)
		if (fdt_parent_offset(fdt, node) == 0 && name_is(name, basalt_names[i]))
			return true;
	return false;
}

/* ---- addresses ---------------------------------------------------------------- */

/*
 * Translate [*addr, *addr + size) from bus's address space to the CPU's,
 * through each ancestor's ranges (empty: identity; absent: not mapped).
 */
static const char *translate(const void *fdt, int bus, uint64_t *addr, uint64_t size)
{
	const fdt32_t *r;
	int hops, len, parent, cac, pac, csz, stride, i;
	uint64_t cbase = 0, pbase = 0, rsize;

	for (hops = 0; bus > 0; hops++) {
		parent = fdt_parent_offset(fdt, bus);
		if (parent < 0 || hops >= MAX_TRANSLATE_HOP)
			return "bus nesting";
		r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r)
			return "parent bus without ranges";
		cac = fdt_address_cells(fdt, bus);
		pac = fdt_address_cells(fdt, parent);
		csz = fdt_size_cells(fdt, bus);
		if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || csz < 1 || csz > 2)
			return "bad #address-cells/#size-cells on a bus";
		stride = cac + pac + csz;
		if (len % (stride * 4))
			return "malformed ranges";
		for (i = 0; len && i < len / (stride * 4); i++, r += stride) {
			cbase = read_cells(r, cac);
			pbase = read_cells(r + cac, pac);
			rsize = read_cells(r + cac + pac, csz);
			if (*addr >= cbase && *addr - cbase < rsize &&
			    size <= rsize - (*addr - cbase))
				break;
		}
		if (len && i == len / (stride * 4))
			return "outside its bus's ranges";
		if (len) {
			if (pbase + (*addr - cbase) < pbase)
				return "address wraps";
			*addr = pbase + (*addr - cbase);
		}
		bus = parent;
	}
	return NULL;
}

/* Check one CPU range's shape and add it, page-rounded, to n. */
static const char *needs_add_range(struct dom0_dev_needs *n, uint64_t base, uint64_t size)
{
	uint64_t start, end;

	if (!size)
		return "empty range";
	if (base + size < base || base + size > DOM0_DEV_PA_LIMIT)
		return "range beyond the 48-bit address space";
	if (size > DOM0_DEV_MAX_SIZE)
		return "range too large";
	if (n->nr_mmio == DOM0_DEV_MAX_RANGES)
		return "too many ranges";
	start = base & ~PAGE_MASK_4K;
	end = (base + size + PAGE_MASK_4K) & ~PAGE_MASK_4K;
	n->mmio[n->nr_mmio++] = (struct dt_range){ start, end - start };
	return NULL;
}

/* A range in bus's addresses, translated to the CPU's and added to n. */
static const char *needs_bus_range(const void *fdt, int bus, uint64_t base, uint64_t size,
				   struct dom0_dev_needs *n)
{
	const char *why = translate(fdt, bus, &base, size);

	return why ? why : needs_add_range(n, base, size);
}

/* reg, in the parent bus's cells, translated to the CPU's addresses. */
static const char *needs_reg(const void *fdt, int node, struct dom0_dev_needs *n)
{
	int bus = fdt_parent_offset(fdt, node), ac, sc, len, i;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	const char *why;

	if (bus < 0 || !reg)
		return "no reg";
	ac = fdt_address_cells(fdt, bus);
	sc = fdt_size_cells(fdt, bus);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return "bad #address-cells/#size-cells";
	if (len <= 0 || len % ((ac + sc) * 4))
		return "malformed reg";
	for (i = 0; i < len / ((ac + sc) * 4); i++, reg += ac + sc) {
		why = needs_bus_range(fdt, bus, read_cells(reg, ac), read_cells(reg + ac, sc), n);
		if (why)
			return why;
	}
	return NULL;
}

/*
 * A PCI host bridge's ranges: (3-cell PCI address, parent address, size)
 * windows for I/O, 32-bit and 64-bit memory that the host's BARs live in.
 */
static const char *needs_pci_windows(const void *fdt, int node, struct dom0_dev_needs *n)
{
	int bus = fdt_parent_offset(fdt, node), pac, sc, len, i, stride;
	const fdt32_t *r = fdt_getprop(fdt, node, "ranges", &len);
	const char *why;

	if (bus < 0 || !r)
		return "PCI host bridge without ranges";
	pac = fdt_address_cells(fdt, bus);
	sc = fdt_size_cells(fdt, node);
	if (fdt_address_cells(fdt, node) != PCI_ADDR_CELLS || pac < 1 || pac > 2 || sc < 1 ||
	    sc > 2)
		return "bad cells on a PCI host bridge";
	stride = PCI_ADDR_CELLS + pac + sc;
	if (len <= 0 || len % (stride * 4) || len / (stride * 4) > MAX_PCI_WINDOWS)
		return "malformed PCI ranges";
	for (i = 0; i < len / (stride * 4); i++, r += stride) {
		if (PCI_SPACE(fdt32_ld(r)) == PCI_SPACE_CONFIG)
			return "configuration space in PCI ranges";
		why = needs_bus_range(fdt, bus, read_cells(r + PCI_ADDR_CELLS, pac),
				      read_cells(r + PCI_ADDR_CELLS + pac, sc), n);
		if (why)
			return why;
	}
	return NULL;
}

static bool is_pci_host(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);

	return type && !strcmp(type, "pci");
}

/* ---- interrupts --------------------------------------------------------------- */

static int gic_node(const void *fdt)
{
	unsigned int i;
	int node = -FDT_ERR_NOTFOUND;

	for (i = 0; i < ARRAY_SIZE(gic_compat) && node < 0; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, gic_compat[i]);
	return node;
}

/* The node's interrupt parent: its own interrupt-parent or the nearest ancestor's. */
static int irq_parent(const void *fdt, int node)
{
	const fdt32_t *ph;
	int len, hops;

	for (hops = 0; node >= 0 && hops <= DOM0_DEV_MAX_DEPTH + 1; hops++) {
		ph = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (ph)
			return len == 4 ? fdt_node_offset_by_phandle(fdt, fdt32_ld(ph))
					: -FDT_ERR_BADVALUE;
		node = fdt_parent_offset(fdt, node);
	}
	return -FDT_ERR_NOTFOUND;
}

static int irq_cells(const void *fdt, int ctrl)
{
	int c = read_u32(fdt, ctrl, "#interrupt-cells", -1, MAX_IRQ_CELLS);

	return c < 1 ? -1 : c;
}

/*
 * One interrupt specifier of ctrl (cells long): a GIC SPI is routed to
 * dom0; a GIC PPI or extended range cannot be; other controllers' lines
 * are theirs to deliver (a dom0 device or nothing).
 */
static const char *needs_spec(const void *fdt, int ctrl, int gic, const fdt32_t *spec, int cells,
			      struct dom0_dev_needs *n)
{
	uint32_t type, num;

	if (ctrl != gic)
		return NULL;
	if (cells < 3)
		return "GIC interrupt specifier too short";
	type = fdt32_ld(spec);
	num = fdt32_ld(spec + 1);
	if (type != DT_IRQ_TYPE_SPI)
		return "not an SPI (per-CPU or extended interrupt)";
	if (num >= GIC_NR_SPIS)
		return "SPI number out of range";
	n->spis[(GIC_SPI_BASE + num) / 32] |= 1u << ((GIC_SPI_BASE + num) % 32);
	return NULL;
}

static const char *needs_interrupts(const void *fdt, int node, int gic, struct dom0_dev_needs *n)
{
	int len, ctrl, cells, i;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);
	const char *why;

	if (!p)
		return NULL;
	ctrl = irq_parent(fdt, node);
	cells = ctrl >= 0 ? irq_cells(fdt, ctrl) : -1;
	if (cells < 0)
		return "no usable interrupt parent";
	if (len <= 0 || len % (cells * 4))
		return "malformed interrupts";
	for (i = 0; i < len / (cells * 4); i++) {
		why = needs_spec(fdt, ctrl, gic, p + i * cells, cells, n);
		if (why)
			return why;
	}
	return NULL;
}

/* interrupts-extended: <phandle specifier...> pairs, each with its controller's cells. */
static const char *needs_interrupts_ext(const void *fdt, int node, int gic,
					struct dom0_dev_needs *n)
{
	int len, left, ctrl, cells;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts-extended", &len);
	const char *why;

	if (!p)
		return NULL;
	if (len <= 0 || len % 4)
		return "malformed interrupts-extended";
	for (left = len / 4; left > 0; left -= 1 + cells, p += 1 + cells) {
		ctrl = fdt_node_offset_by_phandle(fdt, fdt32_ld(p));
		cells = ctrl >= 0 ? irq_cells(fdt, ctrl) : -1;
		if (cells < 0 || cells > left - 1)
			return "malformed interrupts-extended";
		why = needs_spec(fdt, ctrl, gic, p + 1, cells, n);
		if (why)
			return why;
	}
	return NULL;
}

/*
 * interrupt-map (a PCI host bridge's INTx lines): entries of the child
 * unit address (node's #address-cells), the child specifier (node's
 * #interrupt-cells), the parent's phandle, the parent unit address (its
 * #address-cells, 0 when absent) and the parent specifier (its
 * #interrupt-cells).
 */
static const char *needs_interrupt_map(const void *fdt, int node, int gic, struct dom0_dev_needs *n)
{
	int len, left, cac, cic, pac, pic, ctrl, used;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupt-map", &len);
	const char *why;

	if (!p)
		return NULL;
	cac = read_u32(fdt, node, "#address-cells", 0, MAX_IRQ_CELLS);
	cic = irq_cells(fdt, node);
	if (cac < 0 || cic < 0 || len <= 0 || len % 4)
		return "malformed interrupt-map";
	for (left = len / 4; left > 0; left -= used, p += used) {
		if (left < cac + cic + 1)
			return "truncated interrupt-map";
		ctrl = fdt_node_offset_by_phandle(fdt, fdt32_ld(p + cac + cic));
		pac = ctrl >= 0 ? read_u32(fdt, ctrl, "#address-cells", 0, MAX_IRQ_CELLS) : -1;
		pic = ctrl >= 0 ? irq_cells(fdt, ctrl) : -1;
		if (pac < 0 || pic < 0)
			return "interrupt-map names no usable controller";
		used = cac + cic + 1 + pac + pic;
		if (used > left)
			return "truncated interrupt-map";
		why = needs_spec(fdt, ctrl, gic, p + cac + cic + 1 + pac, pic, n);
		if (why)
			return why;
	}
	return NULL;
}

const char *dom0_dev_needs(const void *fdt, int node, struct dom0_dev_needs *n)
{
	int gic = gic_node(fdt);
	const char *why;

	memset(n, 0, sizeof(*n));
	why = needs_reg(fdt, node, n);
	if (!why && is_pci_host(fdt, node))
		why = needs_pci_windows(fdt, node, n);
	if (!why)
		why = needs_interrupts(fdt, node, gic, n);
	if (!why)
		why = needs_interrupts_ext(fdt, node, gic, n);
	if (!why)
		why = needs_interrupt_map(fdt, node, gic, n);
	return why;
}

/* ---- the set ------------------------------------------------------------------ */

static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	return asz && bsz && a < b + bsz && b < a + asz;
}

/* Union r into the sorted, merged table; false if it does not fit (tab unchanged). */
static bool mmio_add(struct dt_range *tab, unsigned int *nr, struct dt_range r)
{
	uint64_t start = r.start, end = r.start + r.size;
	unsigned int i, lo, hi;

	/* [lo, hi): the entries r overlaps or touches; they become one. */
	for (lo = 0; lo < *nr && tab[lo].start + tab[lo].size < start; lo++)
		;
	for (hi = lo; hi < *nr && tab[hi].start <= end; hi++) {
		start = MIN(start, tab[hi].start);
		end = MAX(end, tab[hi].start + tab[hi].size);
	}
	if (lo == hi && *nr == DOM0_DEV_MAX_MMIO)
		return false;
	if (lo == hi) {
		for (i = *nr; i > lo; i--)
			tab[i] = tab[i - 1];
		(*nr)++;
	} else {
		for (i = hi; i < *nr; i++)
			tab[lo + 1 + i - hi] = tab[i];
		*nr -= hi - lo - 1;
	}
	tab[lo] = (struct dt_range){ start, end - start };
	return true;
}

static const struct dom0_dev_region *excluded(const struct dom0_dev_policy *pol, uint64_t base,
					      uint64_t size)
{
	unsigned int i;

	for (i = 0; i < pol->nr_excl; i++)
		if (overlaps(base, size, pol->excl[i].base, pol->excl[i].size))
			return &pol->excl[i];
	return NULL;
}

static bool inside_iomem(const struct dom0_dev_policy *pol, const struct dt_range *r)
{
	unsigned int i;

	for (i = 0; i < pol->nr_iomem; i++)
		if (r->start >= pol->iomem[i].base &&
		    r->start + r->size <= pol->iomem[i].base + pol->iomem[i].size)
			return true;
	return false;
}

static bool intid_excluded(const struct dom0_dev_policy *pol, const struct dom0_dev_needs *n)
{
	unsigned int i, id;

	for (i = 0; i < pol->nr_excl_intids; i++) {
		id = pol->excl_intids[i];
		if (id < DOM0_DEV_NR_INTIDS && (n->spis[id / 32] & (1u << (id % 32))))
			return true;
	}
	return false;
}

struct scan {
	const void *fdt;
	int uart; /* Basalt's console UART (stdout-path), or < 0 */
	const struct dom0_dev_policy *pol;
	struct dom0_devset *set;
};

static void refuse(struct scan *s, const char *name, uint64_t base, uint64_t size, const char *why)
{
	s->set->nr_refused++;
	if (s->pol->refused)
		s->pol->refused(s->pol->arg, name, base, size, why);
}

/* Every range of n into the set, or none of them. */
static bool commit_mmio(struct dom0_devset *set, const struct dom0_dev_needs *n)
{
	struct dt_range tab[DOM0_DEV_MAX_MMIO];
	unsigned int nr = set->nr_mmio, i;

	memcpy(tab, set->mmio, sizeof(tab));
	for (i = 0; i < n->nr_mmio; i++)
		if (!mmio_add(tab, &nr, n->mmio[i]))
			return false;
	memcpy(set->mmio, tab, sizeof(tab));
	set->nr_mmio = nr;
	return true;
}

/* Check one device against the policy; take it whole or refuse it. */
static void scan_device(struct scan *s, int node)
{
	const char *name = fdt_get_name(s->fdt, node, NULL), *why;
	const struct dom0_dev_region *x;
	struct dom0_dev_needs n;
	unsigned int i;

	why = dom0_dev_needs(s->fdt, node, &n);
	if (why) {
		refuse(s, name, 0, 0, why);
		return;
	}
	for (i = 0; i < n.nr_mmio; i++) {
		if (!s->pol->all && !inside_iomem(s->pol, &n.mmio[i]))
			return; /* dom0_devices=none: not named by dom0_iomem= */
		x = excluded(s->pol, n.mmio[i].start, n.mmio[i].size);
		if (x) {
			refuse(s, name, n.mmio[i].start, n.mmio[i].size, x->what);
			return;
		}
	}
	if (intid_excluded(s->pol, &n)) {
		refuse(s, name, 0, 0, "an interrupt Basalt keeps");
		return;
	}
	if (!commit_mmio(s->set, &n)) {
		refuse(s, name, 0, 0, "too many MMIO ranges in all");
		return;
	}
	for (i = 0; i < DOM0_DEV_SPI_WORDS; i++)
		s->set->spis[i] |= n.spis[i];
	s->set->nr_devices++;
}

static void scan_bus(struct scan *s, int bus, int depth)
{
	int node;

	fdt_for_each_subnode(node, s->fdt, bus)
	{
		if (node == s->uart || !dom0_dev_enabled(s->fdt, node) ||
		    dom0_dev_basalt_owned(s->fdt, node))
			continue;
		if (dom0_dev_is_bus(s->fdt, node) && depth < DOM0_DEV_MAX_DEPTH)
			scan_bus(s, node, depth + 1);
		else if (fdt_getprop(s->fdt, node, "reg", NULL))
			scan_device(s, node);
	}
}

/* stdout-path names a path or an alias, optionally followed by ":options". */
static int console_uart(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *path, *colon;

	path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (!path || len < 2 || path[len - 1] != '\0')
		return -1;
	colon = strchr(path, ':');
	return fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : len - 1);
}

static void scan_iomem(struct scan *s)
{
	const struct dom0_dev_region *r, *x;
	unsigned int i;

	for (i = 0; i < s->pol->nr_iomem; i++) {
		r = &s->pol->iomem[i];
		x = excluded(s->pol, r->base, r->size);
		if (x)
			refuse(s, "dom0_iomem", r->base, r->size, x->what);
		else if (!mmio_add(s->set->mmio, &s->set->nr_mmio,
				   (struct dt_range){ r->base, r->size }))
			refuse(s, "dom0_iomem", r->base, r->size, "too many MMIO ranges in all");
	}
}

int dom0_devices_scan(const void *fdt, const struct dom0_dev_policy *policy,
		      struct dom0_devset *set)
{
	struct scan s = { fdt, -1, policy, set };

	memset(set, 0, sizeof(*set));
	if (fdt_check_header(fdt))
		return -1;
	s.uart = console_uart(fdt);
	scan_iomem(&s);
	scan_bus(&s, 0, 0);
	return 0;
}

bool dom0_devset_spi(const struct dom0_devset *set, unsigned int intid)
{
	return intid < DOM0_DEV_NR_INTIDS && (set->spis[intid / 32] & (1u << (intid % 32)));
}

bool dom0_devset_covers(const struct dom0_devset *set, uint64_t base, uint64_t size)
{
	unsigned int i;

	if (base + size < base)
		return false;
	for (i = 0; i < set->nr_mmio; i++)
		if (base >= set->mmio[i].start &&
		    base + size <= set->mmio[i].start + set->mmio[i].size)
			return true;
	return false;
}
