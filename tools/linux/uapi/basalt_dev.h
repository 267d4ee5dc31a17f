/* SPDX-License-Identifier: MIT */
/*
 * The dom0 module's interface to user space: /dev/basalt (hypercalls, event
 * channels, foreign memory) and /dev/basalt_console (the hypervisor console).
 * Shared by tools/linux (the module) and tools/libvmctl; not part of the
 * hypervisor ABI (include/public), which this only transports.
 *
 * Hypercall buffers: the hypervisor takes guest-physical addresses, which user
 * space cannot name. A call lists up to BASALT_DEV_MAX_BUFS user buffers; the
 * module copies each into kernel pages (IN), writes the kernel copy's
 * guest-physical address where the buffer's `patch` says (a hypercall
 * argument, or a 64-bit field inside an earlier-or-later buffer, for nested
 * addresses such as a domctl's cpumap_gpa), issues the call, restores the
 * patched fields and copies OUT buffers back.
 */
#ifndef BASALT_DEV_H
#define BASALT_DEV_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <stdint.h>
#include <sys/ioctl.h>
#endif

#define BASALT_DEV_PATH		"/dev/basalt"
#define BASALT_DEV_CONSOLE_PATH "/dev/basalt_console"

#define BASALT_DEV_MAX_ARGS 6
#define BASALT_DEV_MAX_BUFS 4
#define BASALT_DEV_BUF_MAX  (64u * 1024u) /* physically contiguous in dom0 */

#define BASALT_DEV_BUF_IN  1u /* copy from user space before the call */
#define BASALT_DEV_BUF_OUT 2u /* copy back after the call */

/* Where a buffer's guest-physical address goes. */
#define BASALT_DEV_PATCH_NONE	     0u
#define BASALT_DEV_PATCH_KIND(p)     ((p) >> 28)
#define BASALT_DEV_PATCH_INDEX(p)    (((p) >> 16) & 0xfffu)
#define BASALT_DEV_PATCH_OFFSET(p)   ((p)&0xffffu)
#define BASALT_DEV_PATCH_ARG(n)	     ((1u << 28) | ((uint32_t)(n) << 16)) /* args[n] */
#define BASALT_DEV_PATCH_BUF(j, off) ((2u << 28) | ((uint32_t)(j) << 16) | (uint32_t)(off))

struct basalt_dev_buf {
	uint64_t uaddr; /* user address */
	uint32_t len;	/* 1 .. BASALT_DEV_BUF_MAX */
	uint32_t flags; /* BASALT_DEV_BUF_*; unknown bits -> EINVAL */
	uint32_t patch; /* BASALT_DEV_PATCH_* */
	uint32_t _pad0;
};

struct basalt_dev_hypercall {
	uint32_t nr;	  /* BASALT_HC_* */
	uint32_t nr_bufs; /* 0 .. BASALT_DEV_MAX_BUFS */
	uint64_t args[BASALT_DEV_MAX_ARGS];
	struct basalt_dev_buf bufs[BASALT_DEV_MAX_BUFS];
	int64_t result; /* OUT: the hypercall's return value (-BASALT_E* on error) */
};

/* Event channels: each bind returns a new fd for the port (read/poll/write). */
struct basalt_dev_bind {
	uint32_t kind;	     /* BASALT_DEV_BIND_* */
	uint32_t virq;	     /* VIRQ: BASALT_VIRQ_* */
	uint16_t remote_dom; /* INTERDOMAIN, UNBOUND */
	uint16_t _pad0;
	uint32_t remote_port; /* INTERDOMAIN */
	uint32_t port;	      /* OUT: the local port */
	uint32_t _pad1;
};
#define BASALT_DEV_BIND_INTERDOMAIN 0u
#define BASALT_DEV_BIND_VIRQ	    1u
#define BASALT_DEV_BIND_UNBOUND	    2u

/*
 * Foreign memory: mmap() /dev/basalt (nr pages, offset 0), then map nr frames
 * of domain domid from gfn on at that address. munmap() unmaps them.
 */
struct basalt_dev_foreign_map {
	uint64_t addr; /* IN: start of a fresh mapping of this fd */
	uint64_t gfn;  /* IN: first foreign frame */
	uint32_t nr;   /* IN: 1 .. 512, the mapping's length in pages */
	uint16_t domid;
	uint16_t _pad0;
};

/*
 * The module's check of a hypercall descriptor, shared with libvmctl's fake
 * transport so host tests exercise exactly what dom0 enforces: buffer sizes
 * and flags, and patches that name an argument, or an 8-byte aligned field
 * inside another buffer. Returns 0 or -22 (EINVAL).
 */
static inline int basalt_dev_check_buf(const struct basalt_dev_hypercall *hc, uint32_t i)
{
	const struct basalt_dev_buf *b = &hc->bufs[i];
	uint32_t kind = BASALT_DEV_PATCH_KIND(b->patch), idx = BASALT_DEV_PATCH_INDEX(b->patch);
	uint32_t off = BASALT_DEV_PATCH_OFFSET(b->patch);

	if (!b->len || b->len > BASALT_DEV_BUF_MAX || b->_pad0 ||
	    (b->flags & ~(BASALT_DEV_BUF_IN | BASALT_DEV_BUF_OUT)))
		return -22;
	if (kind == 1)
		return idx < BASALT_DEV_MAX_ARGS && !off ? 0 : -22;
	if (kind == 2)
		return idx < hc->nr_bufs && idx != i && !(off & 7) && off + 8 <= hc->bufs[idx].len
			   ? 0
			   : -22;
	return kind == 0 && !b->patch ? 0 : -22;
}

static inline int basalt_dev_check(const struct basalt_dev_hypercall *hc, uint32_t nr_calls)
{
	uint32_t i;

	if (hc->nr >= nr_calls || hc->nr_bufs > BASALT_DEV_MAX_BUFS)
		return -22;
	for (i = 0; i < hc->nr_bufs; i++)
		if (basalt_dev_check_buf(hc, i))
			return -22;
	return 0;
}

#define BASALT_DEV_IOC_MAGIC	   'B'
#define BASALT_DEV_IOC_HYPERCALL   _IOWR(BASALT_DEV_IOC_MAGIC, 0, struct basalt_dev_hypercall)
#define BASALT_DEV_IOC_BIND	   _IOWR(BASALT_DEV_IOC_MAGIC, 1, struct basalt_dev_bind)
#define BASALT_DEV_IOC_FOREIGN_MAP _IOW(BASALT_DEV_IOC_MAGIC, 2, struct basalt_dev_foreign_map)

/*
 * A port fd: read() of 4 bytes blocks (unless O_NONBLOCK) until the port has
 * fired and returns the uint32_t number of events since the last read;
 * write() of any 4 bytes notifies the remote end; poll() reports POLLIN when
 * events are waiting; close() closes the port.
 */

#endif
