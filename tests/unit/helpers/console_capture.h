/* SPDX-License-Identifier: MIT */
/* A console driver that keeps what the console prints, for tests to check. */
#ifndef HELPERS_CONSOLE_CAPTURE_H
#define HELPERS_CONSOLE_CAPTURE_H

#include <stddef.h>

/* What was printed since console_capture_start(), NUL-terminated (truncated when full). */
extern char console_captured[2048];

/* Reset the console, empty the capture and register the capturing driver. */
void console_capture_start(void);

#endif
