// SPDX-License-Identifier: MIT
/*
 * Lock order: console_lock is a leaf lock, taken with interrupts off, so
 * printk is safe from any context except NMI-like ones that may interrupt
 * the holder on the same CPU (those must not print).
 */
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>

#define LINE_MAX_LEN 512

static char ring_buf[CONFIG_CONSOLE_RING_SIZE];
static struct log_ring ring = { ring_buf, CONFIG_CONSOLE_RING_SIZE, 0 };
static struct console_driver *drivers;	       /* [console_lock] */
static int loglevel = CONFIG_LOGLEVEL_DEFAULT; /* [a] */
static DEFINE_SPINLOCK(console_lock);

BUILD_BUG_ON(CONFIG_CONSOLE_RING_SIZE &(CONFIG_CONSOLE_RING_SIZE - 1));

void console_register(struct console_driver *drv)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	drv->next = drivers;
	drivers = drv;
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_set_loglevel(int level)
{
	WRITE_ONCE(loglevel, level < LOG_EMERG ? LOG_EMERG : MIN(level, (int)LOG_DEBUG));
}

int console_get_loglevel(void)
{
	return READ_ONCE(loglevel);
}

/* Write to every driver; UARTs want CR before LF. Called with console_lock. */
static void drivers_write(const char *s, size_t n)
{
	struct console_driver *drv;
	size_t i;

	for (drv = drivers; drv; drv = drv->next) {
		for (i = 0; i < n; i++) {
			if (s[i] == '\n')
				drv->putc(drv, '\r');
			drv->putc(drv, s[i]);
		}
	}
}

void vlog_printk(int level, const char *fmt, va_list ap)
{
	char line[LINE_MAX_LEN];
	unsigned long flags;
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = n < 0 ? 0 : MIN((size_t)n, sizeof(line) - 1);

	flags = spin_lock_irqsave(&console_lock);
	log_ring_write(&ring, line, len);
	if (level <= READ_ONCE(loglevel))
		drivers_write(line, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

void log_printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_printk(level, fmt, ap);
	va_end(ap);
}

size_t console_ring_read(uint64_t *pos, char *out, size_t len, uint64_t *lost)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t n = log_ring_read(&ring, pos, out, len, lost);

	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

int console_getc(void)
{
	struct console_driver *drv;
	int c = -1;
	unsigned long flags = spin_lock_irqsave(&console_lock);

	for (drv = drivers; drv && c < 0; drv = drv->next)
		if (drv->getc)
			c = drv->getc(drv);
	spin_unlock_irqrestore(&console_lock, flags);
	return c;
}

void console_reset(void)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	drivers = NULL;
	ring.head = 0;
	loglevel = CONFIG_LOGLEVEL_DEFAULT;
	spin_unlock_irqrestore(&console_lock, flags);
}

/* loglvl=N (0-7) or a name: emerg alert crit err warning notice info debug all */
static int loglvl_param(const char *val)
{
	static const char *const names[] = { "emerg",	"alert",  "crit", "err",
					     "warning", "notice", "info", "debug" };
	unsigned long n;
	size_t i;

	if (!val)
		return -1;
	if (!strcmp(val, "all")) {
		console_set_loglevel(LOG_DEBUG);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(val, names[i])) {
			console_set_loglevel((int)i);
			return 0;
		}
	}
	if (parse_ulong(val, 10, false, &n) || n > LOG_DEBUG)
		return -1;
	console_set_loglevel((int)n);
	return 0;
}
CMDLINE_PARAM("loglvl", loglvl_param);
