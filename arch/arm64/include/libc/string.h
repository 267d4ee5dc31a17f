/* SPDX-License-Identifier: MIT */
/* <string.h> for libfdt's libfdt_env.h: the core's own string functions. */
#include <basalt/lib.h>
