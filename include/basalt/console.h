/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: every message goes into one ring (the hypervisor's
 * dmesg); messages at or below the console log level also go to the
 * registered output drivers (UARTs).
 */
#ifndef BASALT_CONSOLE_H
#define BASALT_CONSOLE_H

#include <basalt/compiler.h>
#include <basalt/ring.h>
#include <basalt/types.h>

enum log_level {
	LOG_EMERG = 0,
	LOG_ALERT,
	LOG_CRIT,
	LOG_ERR,
	LOG_WARNING,
	LOG_NOTICE,
	LOG_INFO,
	LOG_DEBUG,
};

struct console_driver {
	const char *name;
	void (*putc)(struct console_driver *drv, char c);
	int (*getc)(struct console_driver *drv); /* -1 when no input; may be NULL */
	struct console_driver *next;
};

void console_register(struct console_driver *drv);
void console_set_loglevel(int level);
int console_get_loglevel(void);

void vlog_printk(int level, const char *fmt, va_list ap);
void log_printk(int level, const char *fmt, ...) __printf(2, 3);

#define printk(...)    log_printk(LOG_INFO, __VA_ARGS__)
#define pr_err(...)    log_printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)   log_printk(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...) log_printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)   log_printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)  log_printk(LOG_DEBUG, __VA_ARGS__)

/* Read the hypervisor ring from *pos (see log_ring_read). */
size_t console_ring_read(uint64_t *pos, char *out, size_t len, uint64_t *lost);

/* Poll the drivers for one input character; -1 if none. */
int console_getc(void);

/* Test hook: forget all drivers and clear the ring. */
void console_reset(void);

#endif
