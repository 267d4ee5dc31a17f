// SPDX-License-Identifier: MIT
/*
 * A virtual PL011 for every guest at QEMU virt's UART address and SPI
 * (asm/vpl011.h): the register model is asm/pl011_model.h; here are its
 * per-domain instance, the MMIO glue, transmit (to the domain's console
 * ring and, tagged with the domain, to the hypervisor console), receive
 * (bytes from the hypervisor console while input is switched to the
 * domain: basalt/console_input.h) and the interrupt line, a level on
 * VPL011_SPI driven through vgic_inject_spi() whenever (RIS & IMSC)
 * changes. On a GICv2 host there is no vGIC: the UART works, polled.
 *
 * Locking: vpl011.lock (IRQ-safe: input arrives from the UART interrupt)
 * protects the model and line; it nests outside the domain's vgic lock.
 * The console write happens after it is released.
 */
#include <asm/p2m.h>
#include <asm/pl011_model.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <basalt/console_input.h>
#include <basalt/domain.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>
#include <basalt/xmalloc.h>
#include <public/errno.h>

struct vpl011 {
	spinlock_t lock;
	struct pl011_model m; /* [lock] */
	bool line;	      /* [lock] the level last driven on VPL011_SPI */
};

static struct vpl011 *uart_of(const struct domain *d)
{
	return d->arch ? arch_domain(d)->vpl011 : NULL;
}

int vpl011_domain_init(struct domain *d)
{
	struct vpl011 *u = xzalloc(struct vpl011);

	if (!u)
		return -BASALT_ENOMEM;
	spin_lock_init(&u->lock);
	pl011_model_reset(&u->m);
	arch_domain(d)->vpl011 = u;
	return 0;
}

void vpl011_domain_destroy(struct domain *d)
{
	xfree(arch_domain(d)->vpl011);
	arch_domain(d)->vpl011 = NULL;
}

/* Follow the model's interrupt output. u->lock held. */
static void update_line(struct domain *d, struct vpl011 *u)
{
	bool level = pl011_model_irq(&u->m);

	if (level == u->line)
		return;
	u->line = level;
	vgic_inject_spi(d, VPL011_SPI, level);
}

/*
 * Byte, halfword (Linux's amba-pl011 uses 16-bit accesses) or word
 * accesses at a register's offset; other offsets within a register read
 * as zero and ignore writes.
 */
static bool reg_access(uint64_t off, unsigned int size)
{
	return !(off & 3) && size <= 4;
}

static int vpl011_read(struct vcpu *v, uint64_t off, unsigned int size, uint64_t *val)
{
	struct vpl011 *u = uart_of(v->domain);
	unsigned long flags;

	*val = 0;
	if (!u || !reg_access(off, size))
		return 0;
	flags = spin_lock_irqsave(&u->lock);
	*val = pl011_model_read(&u->m, (uint32_t)off);
	update_line(v->domain, u);
	spin_unlock_irqrestore(&u->lock, flags);
	return 0;
}

static int vpl011_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	struct vpl011 *u = uart_of(v->domain);
	unsigned long flags;
	bool sent;
	char c;

	if (!u || !reg_access(off, size))
		return 0;
	flags = spin_lock_irqsave(&u->lock);
	sent = pl011_model_write(&u->m, (uint32_t)off, (uint32_t)val, &c);
	update_line(v->domain, u);
	spin_unlock_irqrestore(&u->lock, flags);
	if (sent)
		domain_console_write(v->domain, &c, 1);
	return 0;
}

bool arch_console_has_input(struct domain *d)
{
	return uart_of(d) != NULL;
}

bool arch_console_input(struct domain *d, char c)
{
	struct vpl011 *u = uart_of(d);
	unsigned long flags;
	bool taken = false;

	if (!u)
		return false;
	flags = spin_lock_irqsave(&u->lock);
	if (pl011_model_takes_input(&u->m)) {
		taken = true; /* a full FIFO and line drop it, as an overrun would */
		pl011_model_line_rx(&u->m, c);
		update_line(d, u);
	}
	spin_unlock_irqrestore(&u->lock, flags);
	return taken;
}

const struct mmio_region vpl011_regions[] = {
	{ VPL011_BASE, VPL011_SIZE, vpl011_read, vpl011_write },
};
const unsigned int vpl011_nr_regions = ARRAY_SIZE(vpl011_regions);
