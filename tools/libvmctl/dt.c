// SPDX-License-Identifier: MIT
/*
 * The guest device tree, written with libfdt's sequential-write API. The
 * platform is QEMU virt's arm64 map, so a stock Debian kernel needs no
 * special configuration: GICv3, PL011 (console), the architected timer's
 * PPIs, PSCI 1.0 over HVC, and the /hypervisor node the dom0 module and
 * guest drivers look for.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "build.h"

#define PHANDLE_GIC 1
#define PHANDLE_CLK 2

/* GIC interrupt specifiers: <type number flags>. */
#define GIC_SPI	       0
#define GIC_PPI	       1
#define IRQ_LEVEL_HIGH 4

/* Arch timer PPIs as QEMU virt wires them: secure, non-secure, virtual, hyp. */
static const uint32_t timer_ppis[] = { 13, 14, 11, 10 };

struct dt {
	void *fdt;
	int err; /* first libfdt error, sticky */
};

static void ck(struct dt *dt, int rc)
{
	if (rc < 0 && !dt->err)
		dt->err = rc;
}

static void prop_u32(struct dt *dt, const char *name, uint32_t v)
{
	ck(dt, fdt_property_u32(dt->fdt, name, v));
}

static void prop_str(struct dt *dt, const char *name, const char *s)
{
	ck(dt, fdt_property_string(dt->fdt, name, s));
}

/* A string list ("a\0b\0"), given with its total length. */
static void prop_strs(struct dt *dt, const char *name, const char *s, int len)
{
	ck(dt, fdt_property(dt->fdt, name, s, len));
}

static void prop_cells(struct dt *dt, const char *name, const uint32_t *cells, int n)
{
	fdt32_t be[16];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	ck(dt, fdt_property(dt->fdt, name, be, n * (int)sizeof(be[0])));
}

static void prop_reg(struct dt *dt, uint64_t base, uint64_t size)
{
	uint32_t c[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
			  (uint32_t)size };

	prop_cells(dt, "reg", c, 4);
}

static void begin(struct dt *dt, const char *name, uint64_t unit)
{
	char buf[64];

	if (unit != UINT64_MAX)
		snprintf(buf, sizeof(buf), "%s@%llx", name, (unsigned long long)unit);
	else
		snprintf(buf, sizeof(buf), "%s", name);
	ck(dt, fdt_begin_node(dt->fdt, buf));
}

static void end(struct dt *dt)
{
	ck(dt, fdt_end_node(dt->fdt));
}

static void node_cpus(struct dt *dt, uint32_t vcpus)
{
	begin(dt, "cpus", UINT64_MAX);
	prop_u32(dt, "#address-cells", 1);
	prop_u32(dt, "#size-cells", 0);
	for (uint32_t i = 0; i < vcpus; i++) {
		begin(dt, "cpu", i);
		prop_str(dt, "device_type", "cpu");
		prop_str(dt, "compatible", "arm,armv8");
		prop_u32(dt, "reg", i); /* MPIDR Aff0: vCPU i */
		prop_str(dt, "enable-method", "psci");
		end(dt);
	}
	end(dt);
}

static void node_psci(struct dt *dt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	begin(dt, "psci", UINT64_MAX);
	prop_strs(dt, "compatible", compat, sizeof(compat));
	prop_str(dt, "method", "hvc");
	end(dt);
}

static void node_gic(struct dt *dt, uint32_t vcpus)
{
	uint32_t reg[8] = {
		0, (uint32_t)GUEST_GICD_BASE, 0, (uint32_t)GUEST_GICD_SIZE,
		0, (uint32_t)GUEST_GICR_BASE, 0, (uint32_t)(GUEST_GICR_STRIDE * vcpus)
	};

	begin(dt, "intc", GUEST_GICD_BASE);
	prop_str(dt, "compatible", "arm,gic-v3");
	prop_u32(dt, "#interrupt-cells", 3);
	prop_u32(dt, "#address-cells", 0); /* no ITS child nodes */
	ck(dt, fdt_property(dt->fdt, "interrupt-controller", NULL, 0));
	prop_u32(dt, "#redistributor-regions", 1);
	prop_cells(dt, "reg", reg, 8);
	prop_u32(dt, "phandle", PHANDLE_GIC);
	end(dt);
}

static void node_timer(struct dt *dt)
{
	uint32_t irqs[12];

	for (int i = 0; i < 4; i++) {
		irqs[i * 3] = GIC_PPI;
		irqs[i * 3 + 1] = timer_ppis[i];
		irqs[i * 3 + 2] = IRQ_LEVEL_HIGH;
	}
	begin(dt, "timer", UINT64_MAX);
	prop_str(dt, "compatible", "arm,armv8-timer");
	prop_cells(dt, "interrupts", irqs, 12);
	ck(dt, fdt_property(dt->fdt, "always-on", NULL, 0));
	end(dt);
}

static void node_uart(struct dt *dt)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	uint32_t irq[3] = { GIC_SPI, GUEST_UART_SPI, IRQ_LEVEL_HIGH };
	uint32_t clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };

	begin(dt, "pl011", GUEST_UART_BASE);
	prop_strs(dt, "compatible", compat, sizeof(compat));
	prop_reg(dt, GUEST_UART_BASE, GUEST_UART_SIZE);
	prop_cells(dt, "interrupts", irq, 3);
	prop_cells(dt, "clocks", clocks, 2);
	prop_strs(dt, "clock-names", clock_names, sizeof(clock_names));
	end(dt);
}

static void node_clock(struct dt *dt)
{
	begin(dt, "apb-pclk", UINT64_MAX);
	prop_str(dt, "compatible", "fixed-clock");
	prop_u32(dt, "#clock-cells", 0);
	prop_u32(dt, "clock-frequency", 24000000);
	prop_str(dt, "clock-output-names", "clk24mhz");
	prop_u32(dt, "phandle", PHANDLE_CLK);
	end(dt);
}

static void node_hypervisor(struct dt *dt)
{
	uint32_t irq[3] = { GIC_PPI, BASALT_ARM64_UPCALL_INTID - 16, IRQ_LEVEL_HIGH };

	begin(dt, "hypervisor", UINT64_MAX);
	prop_str(dt, "compatible", "basalt,hypervisor");
	prop_u32(dt, "basalt,interface-version", BASALT_INTERFACE_VERSION);
	prop_cells(dt, "interrupts", irq, 3);
	end(dt);
}

static void node_chosen(struct dt *dt, const struct vmctl_config *cfg,
			const struct guest_layout *lay)
{
	char path[64];

	begin(dt, "chosen", UINT64_MAX);
	prop_str(dt, "bootargs", cfg->cmdline);
	snprintf(path, sizeof(path), "/pl011@%llx", (unsigned long long)GUEST_UART_BASE);
	prop_str(dt, "stdout-path", path);
	if (lay->initrd_len) {
		ck(dt, fdt_property_u64(dt->fdt, "linux,initrd-start", lay->initrd_gpa));
		ck(dt, fdt_property_u64(dt->fdt, "linux,initrd-end",
					lay->initrd_gpa + lay->initrd_len));
	}
	end(dt);
}

int dt_build(void *buf, size_t len, const struct vmctl_config *cfg, const struct guest_layout *lay)
{
	static const char compat[] = "basalt,virt\0linux,dummy-virt";
	struct dt dt = { buf, 0 };

	if (!cfg->vcpus || cfg->vcpus > GUEST_MAX_VCPUS)
		return -BASALT_EINVAL;
	ck(&dt, fdt_create(buf, (int)len));
	ck(&dt, fdt_finish_reservemap(buf));
	begin(&dt, "", UINT64_MAX);
	prop_u32(&dt, "#address-cells", 2);
	prop_u32(&dt, "#size-cells", 2);
	prop_strs(&dt, "compatible", compat, sizeof(compat));
	prop_str(&dt, "model", "Basalt virtual machine");
	prop_u32(&dt, "interrupt-parent", PHANDLE_GIC);
	begin(&dt, "memory", lay->ram_base);
	prop_str(&dt, "device_type", "memory");
	prop_reg(&dt, lay->ram_base, lay->ram_size);
	end(&dt);
	node_cpus(&dt, cfg->vcpus);
	node_psci(&dt);
	node_gic(&dt, cfg->vcpus);
	node_timer(&dt);
	node_clock(&dt);
	node_uart(&dt);
	node_hypervisor(&dt);
	node_chosen(&dt, cfg, lay);
	end(&dt);
	ck(&dt, fdt_finish(buf));
	if (dt.err)
		return dt.err == -FDT_ERR_NOSPACE ? -BASALT_E2BIG : -BASALT_EINVAL;
	return (int)fdt_totalsize(buf);
}
