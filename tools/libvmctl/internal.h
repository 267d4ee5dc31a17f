/* SPDX-License-Identifier: MIT */
/* libvmctl internals shared by its files. */
#ifndef VMCTL_INTERNAL_H
#define VMCTL_INTERNAL_H

#include <public/version.h>

#include "vmctl.h"

struct vmctl {
	struct vmctl_transport t;
	char err[256]; /* last failure, "" after a success */
};

void hc_init(struct basalt_dev_hypercall *hc, uint32_t nr);
int hc_buf(struct basalt_dev_hypercall *hc, const void *p, uint32_t len, uint32_t flags,
	   uint32_t patch);
int domctl(struct vmctl *h, struct basalt_domctl *dc, const void *inner, uint32_t inner_len,
	   uint32_t inner_flags, size_t inner_field, const char *what);
int sysctl(struct vmctl *h, struct basalt_sysctl *sc, const void *inner, uint32_t inner_len,
	   uint32_t inner_flags, size_t inner_field, const char *what);
int subop(struct vmctl *h, uint32_t nr, uint32_t op, void *arg, uint32_t len, const char *what);

#define BUF_IN	  BASALT_DEV_BUF_IN
#define BUF_OUT	  BASALT_DEV_BUF_OUT
#define BUF_INOUT (BASALT_DEV_BUF_IN | BASALT_DEV_BUF_OUT)

#endif
