// SPDX-License-Identifier: MIT
/*
 * libvmctl core: the handle, the transport seam, hypercall descriptors and
 * error messages. Typed calls live in domain.c, sched.c and memory.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct errinfo {
	const char *name;
	const char *text;
};

/* Indexed by BASALT_E* value; the text says what an operator should read. */
static const struct errinfo errors[] = {
	[BASALT_EPERM] = { "EPERM", "not permitted (needs a privileged domain)" },
	[BASALT_ENOENT] = { "ENOENT", "no such object" },
	[BASALT_ESRCH] = { "ESRCH", "no such domain" },
	[BASALT_EINTR] = { "EINTR", "interrupted, try again" },
	[BASALT_EIO] = { "EIO", "hypervisor I/O error" },
	[BASALT_E2BIG] = { "E2BIG", "argument too long" },
	[BASALT_EBADF] = { "EBADF", "bad handle or port" },
	[BASALT_EAGAIN] = { "EAGAIN", "busy, try again later" },
	[BASALT_ENOMEM] = { "ENOMEM", "out of memory (hypervisor, or over the domain's limit)" },
	[BASALT_EACCES] = { "EACCES", "access refused" },
	[BASALT_EFAULT] = { "EFAULT", "bad guest address" },
	[BASALT_EBUSY] = { "EBUSY", "in use" },
	[BASALT_EEXIST] = { "EEXIST", "already exists" },
	[BASALT_EXDEV] = { "EXDEV", "belongs to another domain" },
	[BASALT_ENODEV] = { "ENODEV", "no such device or facility" },
	[BASALT_EINVAL] = { "EINVAL", "invalid argument" },
	[BASALT_ENOSPC] = { "ENOSPC", "table full" },
	[BASALT_ERANGE] = { "ERANGE", "value out of range" },
	[BASALT_EDEADLK] = { "EDEADLK", "a domain cannot do this to itself" },
	[BASALT_ENOSYS] = { "ENOSYS", "not implemented by this hypervisor" },
	[BASALT_EOVERFLOW] = { "EOVERFLOW", "size or address overflows" },
	[BASALT_ETIMEDOUT] = { "ETIMEDOUT", "timed out" },
	[BASALT_EALREADY] = { "EALREADY", "already in that state" },
};

static const struct errinfo *errinfo(int err)
{
	unsigned int e = err < 0 ? (unsigned int)-err : (unsigned int)err;

	if (e < sizeof(errors) / sizeof(errors[0]) && errors[e].name)
		return &errors[e];
	return NULL;
}

const char *vmctl_strerror(int err)
{
	const struct errinfo *ei = errinfo(err);

	return ei ? ei->text : "unknown error";
}

const char *vmctl_errname(int err)
{
	const struct errinfo *ei = errinfo(err);

	return ei ? ei->name : "E?";
}

int vmctl_fail(struct vmctl *h, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->err, sizeof(h->err), fmt, ap);
	va_end(ap);
	return rc;
}

const char *vmctl_error(const struct vmctl *h)
{
	return h->err;
}

struct vmctl *vmctl_open_transport(const struct vmctl_transport *t)
{
	struct vmctl *h = calloc(1, sizeof(*h));

	if (h)
		h->t = *t;
	return h;
}

void vmctl_close(struct vmctl *h)
{
	if (!h)
		return;
	if (h->t.close)
		h->t.close(h->t.ctx);
	free(h);
}

void hc_init(struct basalt_dev_hypercall *hc, uint32_t nr)
{
	memset(hc, 0, sizeof(*hc));
	hc->nr = nr;
}

int hc_buf(struct basalt_dev_hypercall *hc, const void *p, uint32_t len, uint32_t flags,
	   uint32_t patch)
{
	struct basalt_dev_buf *b = &hc->bufs[hc->nr_bufs];

	b->uaddr = (uint64_t)(uintptr_t)p;
	b->len = len;
	b->flags = flags;
	b->patch = patch;
	return (int)hc->nr_bufs++;
}

int64_t vmctl_hypercall(struct vmctl *h, struct basalt_dev_hypercall *hc, const char *what)
{
	int rc = h->t.hypercall(h->t.ctx, hc);

	if (rc < 0)
		return vmctl_fail(h, -BASALT_EIO, "%s: the dom0 device failed: %s", what,
				  strerror(-rc));
	if (hc->result < 0)
		return vmctl_fail(h, (int)hc->result, "%s: %s (%s)", what,
				  vmctl_strerror((int)hc->result), vmctl_errname((int)hc->result));
	h->err[0] = '\0';
	return hc->result;
}

/* domctl with an optional nested buffer whose gpa goes at inner_field. */
int domctl(struct vmctl *h, struct basalt_domctl *dc, const void *inner, uint32_t inner_len,
	   uint32_t inner_flags, size_t inner_field, const char *what)
{
	struct basalt_dev_hypercall hc;

	dc->interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	hc_init(&hc, BASALT_HC_domctl);
	hc_buf(&hc, dc, sizeof(*dc), BASALT_DEV_BUF_IN | BASALT_DEV_BUF_OUT,
	       BASALT_DEV_PATCH_ARG(0));
	if (inner)
		hc_buf(&hc, inner, inner_len, inner_flags,
		       BASALT_DEV_PATCH_BUF(0, offsetof(struct basalt_domctl, u) + inner_field));
	return (int)vmctl_hypercall(h, &hc, what);
}

int sysctl(struct vmctl *h, struct basalt_sysctl *sc, const void *inner, uint32_t inner_len,
	   uint32_t inner_flags, size_t inner_field, const char *what)
{
	struct basalt_dev_hypercall hc;

	sc->interface_version = BASALT_SYSCTL_INTERFACE_VERSION;
	hc_init(&hc, BASALT_HC_sysctl);
	hc_buf(&hc, sc, sizeof(*sc), BASALT_DEV_BUF_IN | BASALT_DEV_BUF_OUT,
	       BASALT_DEV_PATCH_ARG(0));
	if (inner)
		hc_buf(&hc, inner, inner_len, inner_flags,
		       BASALT_DEV_PATCH_BUF(0, offsetof(struct basalt_sysctl, u) + inner_field));
	return (int)vmctl_hypercall(h, &hc, what);
}

/* sub-op hypercalls (event channels, grants): a1 = op, a2 = gpa of arg. */
int subop(struct vmctl *h, uint32_t nr, uint32_t op, void *arg, uint32_t len, const char *what)
{
	struct basalt_dev_hypercall hc;

	hc_init(&hc, nr);
	hc.args[0] = op;
	hc_buf(&hc, arg, len, BASALT_DEV_BUF_IN | BASALT_DEV_BUF_OUT, BASALT_DEV_PATCH_ARG(1));
	return (int)vmctl_hypercall(h, &hc, what);
}

int vmctl_version(struct vmctl *h, unsigned int *major, unsigned int *minor)
{
	struct basalt_dev_hypercall hc;
	int64_t v;

	hc_init(&hc, BASALT_HC_version);
	hc.args[0] = BASALT_VERSION_version;
	v = vmctl_hypercall(h, &hc, "read the interface version");
	if (v < 0)
		return (int)v;
	*major = (unsigned int)(v >> 16);
	*minor = (unsigned int)(v & 0xffff);
	return 0;
}
