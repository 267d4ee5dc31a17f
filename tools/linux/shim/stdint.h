/* SPDX-License-Identifier: MIT */
/* include/public uses <stdint.h>; inside the kernel those types come from here. */
#ifndef BASALT_SHIM_STDINT_H
#define BASALT_SHIM_STDINT_H
#include <linux/types.h>
#endif
