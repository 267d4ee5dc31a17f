// SPDX-License-Identifier: MIT
/*
 * Console input switching (basalt/console_input.h). Lock order:
 * console_input_lock is a leaf; delivery to a domain happens after it is
 * released and takes the domain list lock, then the virtual UART's lock.
 * Everything here may run in interrupt context (the UART's RX interrupt);
 * so does the VIRQ_CONSOLE sent to dom0, like the timer VIRQs (event
 * channel locks are never held with interrupts enabled on arm64, the only
 * arch that feeds input here).
 */
#include <basalt/console.h>
#include <basalt/console_input.h>
#include <basalt/domain.h>
#include <basalt/event.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>
#include <public/event_channel.h>

#define INPUT_QUEUE 256 /* power of two */

static DEFINE_SPINLOCK(console_input_lock);
static struct console_switch sw;	    /* [console_input_lock] */
static unsigned int focus = DOMID_HARDWARE; /* [console_input_lock] */
static char queue[INPUT_QUEUE];		    /* [console_input_lock] */
static unsigned int q_prod, q_cons;	    /* [console_input_lock] free-running */
static unsigned long dropped;		    /* [console_input_lock] queue full */

__weak bool arch_console_has_input(struct domain *d)
{
	(void)d;
	return false;
}

__weak bool arch_console_input(struct domain *d, char c)
{
	(void)d;
	(void)c;
	return false;
}

bool console_switch_feed(struct console_switch *s, char c, char out[CONSOLE_SWITCH_COUNT],
			 unsigned int *n)
{
	*n = 0;
	if (c == CONSOLE_SWITCH_CHAR) {
		if (++s->pending < CONSOLE_SWITCH_COUNT)
			return false;
		s->pending = 0;
		return true;
	}
	/* An interrupted sequence: the Ctrl-As were meant for the guest. */
	for (; s->pending; s->pending--)
		out[(*n)++] = CONSOLE_SWITCH_CHAR;
	out[(*n)++] = c;
	return false;
}

static int has_input(struct domain *d, void *data)
{
	return arch_console_has_input(d) ? (int)d->domain_id + 1 : 0;
}

/* The first domain with a virtual UART from ID first on, or CONSOLE_FOCUS_BASALT. */
static unsigned int next_owner(unsigned int first)
{
	int found = domain_for_each(first, has_input, NULL);

	return found > 0 ? (unsigned int)found - 1 : CONSOLE_FOCUS_BASALT;
}

unsigned int console_input_switch(void)
{
	unsigned long flags = spin_lock_irqsave(&console_input_lock);
	unsigned int cur = focus, next;

	spin_unlock_irqrestore(&console_input_lock, flags);
	next = next_owner(cur == CONSOLE_FOCUS_BASALT ? 0 : cur + 1);
	flags = spin_lock_irqsave(&console_input_lock);
	focus = next;
	spin_unlock_irqrestore(&console_input_lock, flags);
	if (next == CONSOLE_FOCUS_BASALT)
		printk("*** console input to Basalt (Ctrl-A three times to switch)\n");
	else
		printk("*** console input to d%u (Ctrl-A three times to switch)\n", next);
	return next;
}

unsigned int console_input_focus(void)
{
	unsigned long flags = spin_lock_irqsave(&console_input_lock);
	unsigned int f = focus;

	spin_unlock_irqrestore(&console_input_lock, flags);
	return f;
}

/* Keep c for dom0's console_io read, and tell dom0 (VIRQ_CONSOLE, if bound). */
static void enqueue(char c)
{
	unsigned long flags = spin_lock_irqsave(&console_input_lock);

	if (q_prod - q_cons < INPUT_QUEUE)
		queue[q_prod++ % INPUT_QUEUE] = c;
	else
		dropped++;
	spin_unlock_irqrestore(&console_input_lock, flags);
	send_global_virq(BASALT_VIRQ_CONSOLE);
}

/* To the focus domain's UART; dom0's PV console and Basalt read the queue. */
static void deliver(unsigned int to, char c)
{
	struct domain *d = to == CONSOLE_FOCUS_BASALT ? NULL : domain_get(to);
	bool taken = d && arch_console_input(d, c);

	if (d)
		domain_put(d);
	if (!taken && (to == CONSOLE_FOCUS_BASALT || to == DOMID_HARDWARE))
		enqueue(c);
}

void console_input_char(char c)
{
	char out[CONSOLE_SWITCH_COUNT];
	unsigned long flags = spin_lock_irqsave(&console_input_lock);
	unsigned int n, i, to = focus;
	bool sw_now = console_switch_feed(&sw, c, out, &n);

	spin_unlock_irqrestore(&console_input_lock, flags);
	if (sw_now) {
		console_input_switch();
		return;
	}
	for (i = 0; i < n; i++)
		deliver(to, out[i]);
}

void console_input_poll(void)
{
	int c;

	while ((c = console_getc()) >= 0)
		console_input_char((char)c);
}

int console_input_getc(void)
{
	unsigned long flags = spin_lock_irqsave(&console_input_lock);
	int c = -1;

	if (q_cons != q_prod)
		c = (unsigned char)queue[q_cons++ % INPUT_QUEUE];
	spin_unlock_irqrestore(&console_input_lock, flags);
	return c >= 0 ? c : console_getc();
}

void console_input_reset(void)
{
	unsigned long flags = spin_lock_irqsave(&console_input_lock);

	sw.pending = 0;
	focus = DOMID_HARDWARE;
	q_prod = q_cons = 0;
	dropped = 0;
	spin_unlock_irqrestore(&console_input_lock, flags);
}
