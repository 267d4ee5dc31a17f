// SPDX-License-Identifier: MIT
/*
 * dom0's device memory on x86: the host's device ranges that Basalt does
 * not keep (lib/devices.c decides which), below 4 GiB and, where the
 * EPT/NPT tables can use 1 GiB leaves, up to the CPU's physical address
 * width (64-bit BARs, QEMU's 0xfd00000000 hole), mapped 1:1 and uncached
 * into dom0's EPT/NPT tables before it first runs, and listed in
 * its memory map as BASALT_MEMMAP_MMIO next to its RAM and the
 * UNPOPULATED window below the RAM (where it maps grants and foreign
 * frames). Both windows are kept out of the device ranges, so an identity
 * mapping can never land on dom0's own memory; a host device that sits
 * there (an ECAM area, for a dom0_mem= that reaches it) is reported.
 *
 * Boot CPU, before any vCPU of dom0 exists: nothing else touches the tables.
 */
#include <asm/io.h>
#include <asm/x86.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/spinlock.h>
#include <public/errno.h>
#include <public/memory_op.h>

#include "../lib/devices.h"
#include "../x86.h"
#include "hvm.h"
#include "lib/pci_cfg.h"

#define DOM0_UNPOP_SIZE	     (64ULL << 20) /* below dom0's RAM: grants, foreign maps, shared info */
#define LOW_TOP		     (1ULL << 32)  /* 2 MiB leaves (at most 2048) up to here */
#define GPA_BITS	     48		   /* 4-level EPT/NPT */
#define SZ_2M		     (2ULL << 20)
#define SZ_1G		     (1ULL << 30)
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define EPT_CAP_1G	     (1ULL << 17)

static struct iomem_map dom0_iomem; /* [I after dom0's build] */
static DEFINE_SPINLOCK(pci_lock);   /* the host's 0xcf8 address and its data access */

/* ---- dom0's PCI config accesses on the host (lib/pci_cfg.c decides which) ---- */

static uint32_t host_cfg_read(uint32_t addr, unsigned int off, unsigned int size)
{
	unsigned long f = spin_lock_irqsave(&pci_lock);
	uint32_t v;

	outl(PCI_CFG_ADDR, addr);
	if (size == 4)
		v = inl(PCI_CFG_DATA);
	else if (size == 2)
		v = inw((uint16_t)(PCI_CFG_DATA + off));
	else
		v = inb((uint16_t)(PCI_CFG_DATA + off));
	spin_unlock_irqrestore(&pci_lock, f);
	return v;
}

static void host_cfg_write(uint32_t addr, unsigned int off, unsigned int size, uint32_t v)
{
	unsigned long f = spin_lock_irqsave(&pci_lock);

	outl(PCI_CFG_ADDR, addr);
	if (size == 4)
		outl(PCI_CFG_DATA, v);
	else if (size == 2)
		outw((uint16_t)(PCI_CFG_DATA + off), (uint16_t)v);
	else
		outb((uint16_t)(PCI_CFG_DATA + off), (uint8_t)v);
	spin_unlock_irqrestore(&pci_lock, f);
}

static const struct hvm_pci_host host_cfg = { host_cfg_read, host_cfg_write };

/* Whether the back end's tables may hold 1 GiB leaves on this CPU. */
static bool p2m_has_1g(void)
{
	if (hvm->p2m_kind == GPT_NPT)
		return cpuid_max(0x80000000) >= 0x80000001 && ((cpuid(0x80000001).edx >> 26) & 1);
	return rdmsr(MSR_VMX_EPT_VPID_CAP) & EPT_CAP_1G;
}

/* The top of dom0's device memory: 4 GiB, or the physical address width with 1 GiB leaves. */
static uint64_t iomem_top(void)
{
	unsigned int bits = 36;

	if (!p2m_has_1g())
		return LOW_TOP;
	if (cpuid_max(0x80000000) >= 0x80000008)
		bits = cpuid(0x80000008).eax & 0xff;
	return 1ULL << MIN(MAX(bits, 32U), (unsigned int)GPA_BITS);
}

/* The largest leaf at s for [s, e): 1 GiB only above 4 GiB (bounded table count). */
static unsigned int leaf_order(uint64_t s, uint64_t e)
{
	if (s >= LOW_TOP && !(s & (SZ_1G - 1)) && e - s >= SZ_1G)
		return PAGE_ORDER_1G;
	if (!(s & (SZ_2M - 1)) && e - s >= SZ_2M)
		return PAGE_ORDER_2M;
	return 0;
}

/* Map [s, e) 1:1 uncached in the largest leaves alignment allows. */
static int map_range(struct hvm_domain *hd, uint64_t s, uint64_t e)
{
	while (s < e) {
		unsigned int order = leaf_order(s, e);
		int rc = gpt_map(&hd->p2m, _gfn(s >> PAGE_SHIFT), _mfn(s >> PAGE_SHIFT), order,
				 GPT_R | GPT_W | GPT_UC);

		if (rc)
			return rc == GPT_ENOMEM ? -BASALT_ENOMEM : -BASALT_EINVAL;
		s += PAGE_SIZE << order;
	}
	return 0;
}

/* A host ECAM area that dom0's own windows hide (dom0_mem= too large). */
static void report_hidden(const struct iomem_range *win)
{
	unsigned int i;

	for (i = 0; i < x86_acpi.nr_mcfg; i++) {
		uint64_t s = x86_acpi.mcfg[i].base + ((uint64_t)x86_acpi.mcfg[i].start_bus << 20);
		uint64_t e =
		    x86_acpi.mcfg[i].base + (((uint64_t)x86_acpi.mcfg[i].end_bus + 1) << 20);

		if (s < win->end && win->start < e)
			pr_warn("hvm: dom0's RAM window %#llx-%#llx hides PCI ECAM at %#llx\n",
				(unsigned long long)win->start, (unsigned long long)win->end,
				(unsigned long long)s);
	}
}

/* The memory map: RAM (set by the builder), the window below it, the device ranges; sorted. */
static void set_memmap(struct domain *d, const struct iomem_range *win, uint64_t ram_base)
{
	struct basalt_memmap_entry ram = d->memmap[0];
	unsigned int i, n = 0;

	spin_lock(&d->lock);
	for (i = 0; i < dom0_iomem.nr && dom0_iomem.r[i].start < win->start; i++)
		d->memmap[n++] =
		    (struct basalt_memmap_entry){ dom0_iomem.r[i].start,
						  dom0_iomem.r[i].end - dom0_iomem.r[i].start,
						  BASALT_MEMMAP_MMIO, 0 };
	d->memmap[n++] = (struct basalt_memmap_entry){ win->start, ram_base - win->start,
						       BASALT_MEMMAP_UNPOPULATED, 0 };
	d->memmap[n++] = ram;
	for (; i < dom0_iomem.nr; i++)
		d->memmap[n++] =
		    (struct basalt_memmap_entry){ dom0_iomem.r[i].start,
						  dom0_iomem.r[i].end - dom0_iomem.r[i].start,
						  BASALT_MEMMAP_MMIO, 0 };
	d->nr_memmap = n;
	spin_unlock(&d->lock);
}

int hvm_dom0_devices(struct domain *d, uint64_t ram_base, uint64_t mem)
{
	struct hvm_domain *hd = d->arch;
	const struct iomem_range win = { ram_base - DOM0_UNPOP_SIZE, ram_base + mem };
	uint64_t bytes = 0, top = iomem_top();
	unsigned int i;
	int rc = 0;

	iomem_dom0_build(&x86_boot_data.mmap, &x86_acpi, top, &win, 1, &dom0_iomem);
	/* The memory map holds them all with RAM and the window, or the rest is not given. */
	if (dom0_iomem.nr > BASALT_MEMMAP_MAX_ENTRIES - 2) {
		dom0_iomem.lost += dom0_iomem.nr - (BASALT_MEMMAP_MAX_ENTRIES - 2);
		dom0_iomem.nr = BASALT_MEMMAP_MAX_ENTRIES - 2;
	}
	for (i = 0; i < dom0_iomem.nr && !rc; i++) {
		rc = map_range(hd, dom0_iomem.r[i].start, dom0_iomem.r[i].end);
		bytes += dom0_iomem.r[i].end - dom0_iomem.r[i].start;
	}
	if (rc)
		return rc; /* the builder destroys dom0, tables and all */
	hvm->flush_p2m(hd);
	hvm_pci_host = &host_cfg;
	set_memmap(d, &win, ram_base);
	report_hidden(&win);
	printk(
	    "hvm: d%u gets host device memory 1:1, uncached: %u ranges below %#llx, %llu MiB%s\n",
	    d->domain_id, dom0_iomem.nr, (unsigned long long)top, (unsigned long long)(bytes >> 20),
	    dom0_iomem.lost ? " (some dropped: table full)" : "");
	for (i = 0; i < dom0_iomem.nr; i++)
		printk("hvm:   MMIO %#llx-%#llx\n", (unsigned long long)dom0_iomem.r[i].start,
		       (unsigned long long)dom0_iomem.r[i].end - 1);
	for (i = 0; i < x86_acpi.nr_mcfg; i++)
		printk("hvm:   PCI ECAM segment %u buses %u-%u at %#llx\n",
		       x86_acpi.mcfg[i].segment, x86_acpi.mcfg[i].start_bus,
		       x86_acpi.mcfg[i].end_bus, (unsigned long long)x86_acpi.mcfg[i].base);
	return 0;
}
