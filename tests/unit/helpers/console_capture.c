// SPDX-License-Identifier: MIT
/* The capturing console driver: see console_capture.h. */
#include <basalt/console.h>

#include "helpers/console_capture.h"

char console_captured[2048];
static size_t ncaptured;

static void capture_putc(struct console_driver *drv, char c)
{
	if (ncaptured + 1 < sizeof(console_captured))
		console_captured[ncaptured++] = c;
	console_captured[ncaptured] = '\0';
}

static struct console_driver capture = { .name = "capture", .putc = capture_putc };

void console_capture_start(void)
{
	console_reset();
	ncaptured = 0;
	console_captured[0] = '\0';
	console_register(&capture);
}
