// SPDX-License-Identifier: MIT
/*
 * Guest consoles: the console_io hypercall. Each domain's output goes into
 * its own ring (read by dom0 with read_domain, so a toolstack can show any
 * domain's console) at once and, tagged "(dN) " at the start of each line,
 * into the hypervisor console. As in Xen, dom0's echo is direct (it is the
 * interactive console: a shell's prompt has no newline), while a domU's is
 * held per domain until its line is complete (or DOMAIN_CONSOLE_ECHO bytes
 * long, or the domain goes), so the lines of several domains writing at
 * once (a vPL011 transmits byte by byte) do not interleave.
 *
 * Locking: dc->lock protects a domain's ring and held line; open_line_lock
 * (dom0's line open on the console) nests inside it; the hypervisor
 * console takes its own lock inside both.
 */
#include <basalt/console.h>
#include <basalt/console_input.h>
#include <basalt/event.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/ring.h>
#include <basalt/xmalloc.h>
#include <public/console_io.h>

#include "domain_private.h"

/* 16 KiB: a Linux guest's boot log arrives in bursts between two reads by dom0. */
#define DOMAIN_CONSOLE_ORDER 2
#define DOMAIN_CONSOLE_SIZE  (PAGE_SIZE << DOMAIN_CONSOLE_ORDER)

/* A domU's echo holds at most this much of a line; a longer one is split. */
#define DOMAIN_CONSOLE_ECHO 256

struct domain_console {
	spinlock_t lock;
	struct log_ring ring;		/* [lock] */
	char echo[DOMAIN_CONSOLE_ECHO]; /* [lock] a domU's line not yet echoed */
	unsigned int echo_len;		/* [lock] bytes in echo[] */
	/* Input dom0 queued (write_domain) for the guest's read: a FIFO. */
	char in[BASALT_CONSOLEIO_INPUT_SIZE]; /* [lock] */
	uint32_t in_prod, in_cons;	      /* [lock] free-running; prod - cons <= size */
};

int domain_console_init(struct domain *d)
{
	struct domain_console *dc = xzalloc(struct domain_console);
	char *buf = page_zalloc(DOMAIN_CONSOLE_ORDER);

	if (!dc || !buf) {
		xfree(dc);
		if (buf)
			page_free(buf, DOMAIN_CONSOLE_ORDER);
		return -BASALT_ENOMEM;
	}
	spin_lock_init(&dc->lock);
	log_ring_init(&dc->ring, buf, DOMAIN_CONSOLE_SIZE);
	d->console = dc;
	return 0;
}

static void echo_flush(struct domain *d);

void domain_console_free(struct domain *d)
{
	echo_flush(d); /* a last line without its newline */
	page_free(d->console->ring.buf, DOMAIN_CONSOLE_ORDER);
	xfree(d->console);
	d->console = NULL;
}

/*
 * The line dom0's direct echo has open on the hypervisor console (bytes
 * after its last newline): a domU line printed meanwhile ends it, then
 * prints it again, so dom0's line still reads whole on the console
 * ("(d0) dom" / "(d1) ..." / "(d0) domU: shell ready"), a prompt included.
 * Only dom0 echoes directly, so there is one such line at most.
 */
static DEFINE_SPINLOCK(open_line_lock);
static struct {
	bool open;			/* [open_line_lock] mid-line on the console */
	unsigned int domid;		/* [open_line_lock] whose line */
	char text[DOMAIN_CONSOLE_ECHO]; /* [open_line_lock] its text, to print again */
	unsigned int len;		/* [open_line_lock] bytes in text[] */
	bool cut;			/* [open_line_lock] longer than text[]: not printed again */
} open_line;

/* Echo s to the hypervisor console, one tagged line at a time (dom0). dc->lock held. */
static void echo_tagged(struct domain *d, const char *s, size_t n)
{
	unsigned long flags = spin_lock_irqsave(&open_line_lock);

	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) + 1 : n;

		if (open_line.open) {
			log_printk(LOG_INFO, "%.*s", (int)len, s);
		} else {
			log_printk(LOG_INFO, "(d%u) %.*s", d->domain_id, (int)len, s);
			open_line.domid = d->domain_id;
			open_line.len = 0;
			open_line.cut = false;
		}
		open_line.open = !nl;
		if (!nl && open_line.len + len <= sizeof(open_line.text)) {
			memcpy(open_line.text + open_line.len, s, len);
			open_line.len += (unsigned int)len;
		} else if (!nl) {
			open_line.cut = true;
		}
		s += len;
		n -= len;
	}
	spin_unlock_irqrestore(&open_line_lock, flags);
}

/*
 * Echo a domU's held line as one tagged line (a newline added if the line
 * was cut: the rest comes tagged on a line of its own), around dom0's open
 * line if there is one. dc->lock held, or the domain is going away.
 */
static void echo_flush(struct domain *d)
{
	struct domain_console *dc = d->console;
	unsigned int n = dc->echo_len;
	unsigned long flags;

	if (!n)
		return;
	flags = spin_lock_irqsave(&open_line_lock);
	if (open_line.open)
		log_printk(LOG_INFO, "\n");
	log_printk(LOG_INFO, "(d%u) %.*s%s", d->domain_id, (int)n, dc->echo,
		   dc->echo[n - 1] == '\n' ? "" : "\n");
	if (open_line.open)
		log_printk(LOG_INFO, "(d%u) %.*s", open_line.domid,
			   open_line.cut ? 0 : (int)open_line.len, open_line.text);
	spin_unlock_irqrestore(&open_line_lock, flags);
	dc->echo_len = 0;
}

/* A domU's output into its held line, echoed a whole line at a time. dc->lock held. */
static void echo_held(struct domain *d, const char *s, size_t n)
{
	struct domain_console *dc = d->console;

	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t len = MIN(nl ? (size_t)(nl - s) + 1 : n,
				 (size_t)(DOMAIN_CONSOLE_ECHO - dc->echo_len));

		memcpy(dc->echo + dc->echo_len, s, len);
		dc->echo_len += (unsigned int)len;
		if (dc->echo[dc->echo_len - 1] == '\n' || dc->echo_len == DOMAIN_CONSOLE_ECHO)
			echo_flush(d);
		s += len;
		n -= len;
	}
}

void domain_console_write(struct domain *d, const char *s, size_t n)
{
	struct domain_console *dc = d->console;

	spin_lock(&dc->lock);
	log_ring_write(&dc->ring, s, n);
	if (d->domain_id == DOMID_HARDWARE)
		echo_tagged(d, s, n);
	else
		echo_held(d, s, n);
	spin_unlock(&dc->lock);
}

size_t domain_console_read(struct domain *d, uint64_t *pos, char *out, size_t len, uint64_t *lost)
{
	struct domain_console *dc = d->console;
	size_t n;

	spin_lock(&dc->lock);
	n = log_ring_read(&dc->ring, pos, out, len, lost);
	spin_unlock(&dc->lock);
	return n;
}

/* Queue up to n bytes of input for d; how many fitted. */
size_t domain_console_input(struct domain *d, const char *s, size_t n)
{
	struct domain_console *dc = d->console;
	size_t done = 0;

	spin_lock(&dc->lock);
	while (done < n && dc->in_prod - dc->in_cons < BASALT_CONSOLEIO_INPUT_SIZE)
		dc->in[dc->in_prod++ % BASALT_CONSOLEIO_INPUT_SIZE] = s[done++];
	spin_unlock(&dc->lock);
	return done;
}

/* Take up to n bytes of d's queued input; how many. */
static size_t domain_console_take(struct domain *d, char *out, size_t n)
{
	struct domain_console *dc = d->console;
	size_t done = 0;

	spin_lock(&dc->lock);
	while (done < n && dc->in_cons != dc->in_prod)
		out[done++] = dc->in[dc->in_cons++ % BASALT_CONSOLEIO_INPUT_SIZE];
	spin_unlock(&dc->lock);
	return done;
}

/* ---- the hypercall --------------------------------------------------------------- */

static long consoleio_write(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	size_t n = a[2];
	char *buf;
	int rc;

	if (!n)
		return 0;
	if (n > BASALT_CONSOLEIO_MAX)
		return -BASALT_EINVAL;
	buf = xmalloc_bytes(n, 1);
	if (!buf)
		return -BASALT_ENOMEM;
	rc = copy_from_guest(v->domain, buf, a[1], n, 1);
	if (!rc)
		domain_console_write(v->domain, buf, n);
	xfree(buf);
	return rc ? rc : (long)n;
}

static long consoleio_read(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	char buf[64];
	size_t n = 0, max = MIN(a[2], sizeof(buf));
	int c;

	if (!a[2])
		return 0;
	if (a[2] > BASALT_CONSOLEIO_MAX)
		return -BASALT_EINVAL;
	if (v->domain->domain_id != DOMID_HARDWARE)
		n = domain_console_take(v->domain, buf, max); /* what dom0 typed for it */
	while (v->domain->domain_id == DOMID_HARDWARE && n < max && (c = console_input_getc()) >= 0)
		buf[n++] = (char)c;
	if (!n)
		return 0;
	c = copy_to_guest(v->domain, a[1], buf, n, 1);
	return c ? c : (long)n;
}

static long consoleio_read_domain(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_consoleio_read_domain op;
	struct domain *d;
	char *buf = NULL;
	long rc = copy_struct_from_guest(v->domain, &op, a[1]);
	size_t n = 0;

	if (rc)
		return rc;
	if (op._pad0 || !op.len || op.len > BASALT_CONSOLEIO_MAX)
		return -BASALT_EINVAL;
	d = hc_target_domain(v, op.domid, &rc);
	if (!d)
		return rc;
	buf = xmalloc_bytes(op.len, 1);
	rc = buf ? 0 : -BASALT_ENOMEM;
	if (!rc)
		n = domain_console_read(d, &op.pos, buf, op.len, &op.lost);
	if (!rc && n)
		rc = copy_to_guest(v->domain, op.buf_gpa, buf, n, 1);
	if (!rc)
		rc = copy_struct_to_guest(v->domain, a[1], &op);
	xfree(buf);
	domain_put(d);
	return rc ? rc : (long)n;
}

/*
 * dom0's input for d: a guest that enabled its virtual UART's receiver (Linux
 * on ttyAMA0) reads it there, as if typed on the serial line (a full FIFO
 * drops bytes, like an overrun); the rest waits for its console_io read.
 */
static size_t console_input_to(struct domain *d, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && arch_console_input(d, s[i]))
		i++;
	return i == n ? n : i + domain_console_input(d, s + i, n - i);
}

static long consoleio_write_domain(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_consoleio_write_domain op;
	struct domain *d;
	char *buf;
	long rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	if (op._pad0 || !op.len || op.len > BASALT_CONSOLEIO_MAX)
		return -BASALT_EINVAL;
	d = hc_target_domain(v, op.domid, &rc);
	if (!d)
		return rc;
	if (d == v->domain) {
		domain_put(d);
		return -BASALT_EINVAL; /* its own input comes from the serial line */
	}
	buf = xmalloc_bytes(op.len, 1);
	rc = buf ? copy_from_guest(v->domain, buf, op.buf_gpa, op.len, 1) : -BASALT_ENOMEM;
	if (!rc)
		rc = (long)console_input_to(d, buf, op.len);
	if (rc > 0)
		send_domain_virq(d, BASALT_VIRQ_CONSOLE);
	xfree(buf);
	domain_put(d);
	return rc;
}

/* read is open to all: dom0 reads the serial line, the others their queued input. */
static const struct hypercall_op consoleio_ops[] = {
	[BASALT_CONSOLEIO_write] = { consoleio_write, 3, false },
	[BASALT_CONSOLEIO_read] = { consoleio_read, 3, false },
	[BASALT_CONSOLEIO_read_domain] = { consoleio_read_domain, 2, true },
	[BASALT_CONSOLEIO_write_domain] = { consoleio_write_domain, 2, true },
};

const struct hypercall_family hc_console_io_family = { .subops = consoleio_ops,
						       .nr_subops = ARRAY_SIZE(consoleio_ops) };
