/* SPDX-License-Identifier: MIT */
/*
 * libvmctl: the dom0 toolstack library. The only code that issues hypercalls
 * (through a transport: the module's /dev/basalt, or a fake hypervisor in
 * host tests). Every call returns 0 (or a count) on success and a negative
 * -BASALT_E* code on failure; vmctl_error() then holds a one-line message
 * naming the operation, the domain and the reason.
 *
 * A handle is used by one thread at a time.
 */
#ifndef VMCTL_H
#define VMCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/basalt.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory_op.h>
#include <public/sched_op.h>
#include <public/sysctl.h>
#include <public/vcpu_op.h>

#include "basalt_dev.h"

struct vmctl;

/* The seam between the library and the hypervisor. */
struct vmctl_transport {
	/* Issue hc (buffers described as for BASALT_DEV_IOC_HYPERCALL); fills
	 * hc->result. Returns 0, or -errno when the call could not be issued. */
	int (*hypercall)(void *ctx, struct basalt_dev_hypercall *hc);
	/* Bind an event channel; returns an fd for the port, or -errno. */
	int (*bind)(void *ctx, struct basalt_dev_bind *b);
	void (*close)(void *ctx);
	void *ctx;
};

/* Open /dev/basalt (NULL with errno set when the module is not loaded). */
struct vmctl *vmctl_open(void);
struct vmctl *vmctl_open_transport(const struct vmctl_transport *t);
void vmctl_close(struct vmctl *h);

/* The last failure's one-line message ("pause domain 3: no such domain"). */
const char *vmctl_error(const struct vmctl *h);
/* Text and symbolic name of a BASALT_E* code (positive or negative). */
const char *vmctl_strerror(int err);
const char *vmctl_errname(int err);
/* Record a failure of the caller's own (config, arguments): returns rc. */
int vmctl_fail(struct vmctl *h, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Raw access for the typed calls (and tests): one hypercall. */
int64_t vmctl_hypercall(struct vmctl *h, struct basalt_dev_hypercall *hc, const char *what);

/* --- system ---------------------------------------------------------- */
int vmctl_version(struct vmctl *h, unsigned int *major, unsigned int *minor);
int vmctl_physinfo(struct vmctl *h, struct basalt_sysctl_physinfo *pi);
/* Read the hypervisor console from *pos; returns bytes read. */
int vmctl_readconsole(struct vmctl *h, char *buf, uint32_t len, uint64_t *pos, uint64_t *lost);

/* --- domains ---------------------------------------------------------- */
typedef struct basalt_domctl_getdomaininfo vmctl_dominfo_t;

int vmctl_domain_create(struct vmctl *h, uint32_t flags, uint32_t max_vcpus, uint64_t max_pages,
			uint32_t pool, basalt_domid_t *domid);
int vmctl_domain_destroy(struct vmctl *h, basalt_domid_t d);
int vmctl_domain_pause(struct vmctl *h, basalt_domid_t d);
int vmctl_domain_unpause(struct vmctl *h, basalt_domid_t d);
int vmctl_domain_shutdown(struct vmctl *h, basalt_domid_t d, uint32_t reason);
/*
 * Ask the guest to power off or reboot by itself (ABI 1.1): it keeps running
 * until it calls SCHEDOP_shutdown. vmctl_domain_shutdown() marks it dead.
 */
int vmctl_domain_request_shutdown(struct vmctl *h, basalt_domid_t d, uint32_t reason);
int vmctl_domain_info(struct vmctl *h, basalt_domid_t d, vmctl_dominfo_t *info);
/* All domains in ID order; returns how many were written (at most max). */
int vmctl_domain_list(struct vmctl *h, vmctl_dominfo_t *info, unsigned int max);
int vmctl_domain_max_mem(struct vmctl *h, basalt_domid_t d, uint64_t max_pages);
/* The domain's console ring from *pos; returns bytes read. */
int vmctl_domain_console(struct vmctl *h, basalt_domid_t d, char *buf, uint32_t len, uint64_t *pos,
			 uint64_t *lost);

/* Type len bytes (<= 4096) into domain d's console input; returns bytes queued (1.1). */
int vmctl_domain_console_write(struct vmctl *h, basalt_domid_t d, const char *buf, uint32_t len);

/* --- vCPUs ------------------------------------------------------------ */
typedef struct basalt_domctl_getvcpuinfo vmctl_vcpuinfo_t;
/* State, pCPU, runstate times and affinity of one vCPU (1.1); -ENOENT past the last. */
int vmctl_vcpu_info(struct vmctl *h, basalt_domid_t d, uint32_t vcpu, vmctl_vcpuinfo_t *info);
/* "running", "runnable", "blocked", "offline" or "?". */
const char *vmctl_runstate_name(uint32_t state);
#define VMCTL_MAX_CPUS 256
typedef struct {
	uint64_t w[VMCTL_MAX_CPUS / 64];
} vmctl_cpumap_t;

int vmctl_vcpu_set_context(struct vmctl *h, basalt_domid_t d, uint32_t vcpu,
			   const struct basalt_vcpu_context *ctx);
int vmctl_vcpu_get_context(struct vmctl *h, basalt_domid_t d, uint32_t vcpu,
			   struct basalt_vcpu_context *ctx);
/* flags: BASALT_VCPUAFF_hard or _soft (set: either or both). */
int vmctl_vcpu_set_affinity(struct vmctl *h, basalt_domid_t d, uint32_t vcpu, uint32_t flags,
			    const vmctl_cpumap_t *map);
int vmctl_vcpu_get_affinity(struct vmctl *h, basalt_domid_t d, uint32_t vcpu, uint32_t flags,
			    vmctl_cpumap_t *map);
/* "0-3,6", "all"; returns 0 or -BASALT_EINVAL. */
int vmctl_cpumap_parse(const char *s, vmctl_cpumap_t *map);
/* Inverse of parse, "-" when empty. */
void vmctl_cpumap_format(const vmctl_cpumap_t *map, char *buf, size_t len);

/* --- memory ----------------------------------------------------------- */
/* Give domain d 4 KiB frames at gfns [gfn, gfn + nr). */
int vmctl_populate(struct vmctl *h, basalt_domid_t d, uint64_t gfn, uint64_t nr);
/* Copy len bytes from src into domain d's memory at gpa. */
int vmctl_load(struct vmctl *h, basalt_domid_t d, uint64_t gpa, const void *src, uint64_t len);
int vmctl_set_memory_map(struct vmctl *h, basalt_domid_t d, const struct basalt_memmap_entry *e,
			 uint32_t nr);

/* --- events and grants -------------------------------------------------- */
/* A port in domain d for remote to bind to; returns the port. */
int vmctl_evtchn_alloc_unbound(struct vmctl *h, basalt_domid_t d, basalt_domid_t remote);
int vmctl_evtchn_status(struct vmctl *h, basalt_domid_t d, uint32_t port,
			struct basalt_evtchn_status *st);
/* Bind in dom0: returns an fd for the port (see basalt_dev.h). */
int vmctl_evtchn_bind_interdomain(struct vmctl *h, basalt_domid_t remote, uint32_t rport,
				  uint32_t *lport);
int vmctl_evtchn_bind_virq(struct vmctl *h, uint32_t virq, uint32_t *lport);
int vmctl_grant_query(struct vmctl *h, basalt_domid_t d, uint32_t *nr, uint32_t *max);

/* --- schedulers and cpupools ---------------------------------------------- */
int vmctl_sched_get(struct vmctl *h, basalt_domid_t d, struct basalt_sched_params *p);
int vmctl_sched_set(struct vmctl *h, basalt_domid_t d, const struct basalt_sched_params *p);
int vmctl_sched_pool_get(struct vmctl *h, uint32_t pool, struct basalt_sysctl_sched_pool_op *op);
int vmctl_sched_pool_set(struct vmctl *h, const struct basalt_sysctl_sched_pool_op *op);
#define VMCTL_ARINC653_MAX 64
/* The major frame and the number of windows. */
int vmctl_arinc653_get(struct vmctl *h, uint32_t pool, uint64_t *major_ns, uint32_t *nr);
/* The same with the windows (1.1): e has room for VMCTL_ARINC653_MAX. */
int vmctl_arinc653_get_windows(struct vmctl *h, uint32_t pool, uint64_t *major_ns,
			       struct basalt_arinc653_entry *e, uint32_t *nr);
int vmctl_arinc653_set(struct vmctl *h, uint32_t pool, uint64_t major_ns,
		       const struct basalt_arinc653_entry *e, uint32_t nr);
const char *vmctl_sched_name(uint32_t sched_id);
/* "credit" -> BASALT_SCHED_credit; 0 when unknown. */
uint32_t vmctl_sched_id(const char *name);

typedef struct basalt_sysctl_cpupool_op vmctl_poolinfo_t;
int vmctl_cpupool_create(struct vmctl *h, uint32_t sched_id, uint32_t *pool);
int vmctl_cpupool_destroy(struct vmctl *h, uint32_t pool);
int vmctl_cpupool_info(struct vmctl *h, uint32_t pool, vmctl_poolinfo_t *info);
typedef struct basalt_cpupool_info vmctl_cpupool_t;
/* Every cpupool in ID order (1.1); returns how many were written (at most max). */
int vmctl_cpupool_list(struct vmctl *h, vmctl_cpupool_t *out, unsigned int max);
int vmctl_cpupool_cpu_add(struct vmctl *h, uint32_t pool, uint32_t cpu);
int vmctl_cpupool_cpu_remove(struct vmctl *h, uint32_t pool, uint32_t cpu);
int vmctl_cpupool_migrate(struct vmctl *h, basalt_domid_t d, uint32_t pool);

#endif
