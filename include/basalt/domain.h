/* SPDX-License-Identifier: MIT */
/*
 * Domains and vCPUs: the objects every subsystem hangs its state on.
 * Members are annotated with what protects them: [I] immutable after
 * creation, [d] d->lock, [s] the scheduler's locks, [a] atomic.
 * Scheduler state lives behind v->sched and d->sched, opaque outside sched/.
 */
#ifndef BASALT_DOMAIN_H
#define BASALT_DOMAIN_H

#include <basalt/bitmap.h>
#include <basalt/list.h>
#include <basalt/spinlock.h>
#include <basalt/timer.h>
#include <basalt/types.h>
#include <public/event_channel.h>
#include <public/memory_op.h>

typedef uint16_t domid_t;

#define DOMID_IDLE	     0x7fff /* owner of the per-pCPU idle vCPUs */
#define MAX_VCPUS_PER_DOMAIN 128

struct domain;
struct sched_vcpu;     /* sched/ private */
struct sched_domain;   /* sched/ private */
struct cpupool;	       /* sched/ private */
struct p2m;	       /* common/p2m.c */
struct evtchn_domain;  /* common/event_channel.c */
struct grant_table;    /* common/grant_table.c */
struct maptrack;       /* common/grant_table.c: what this domain maps of others */
struct domain_console; /* common/console_io.c */

enum vcpu_run_state {
	RUNSTATE_RUNNING = 0,  /* on a pCPU now */
	RUNSTATE_RUNNABLE = 1, /* wants a pCPU */
	RUNSTATE_BLOCKED = 2,  /* waiting for an event or timeout */
	RUNSTATE_OFFLINE = 3,  /* down, or paused */
	RUNSTATE_MAX
};

struct vcpu_runstate {
	enum vcpu_run_state state;   /* [s] */
	s_time_t entered;	     /* [s] when state was entered */
	s_time_t time[RUNSTATE_MAX]; /* [s] accumulated per state */
};

struct vcpu {
	unsigned int vcpu_id;	/* [I] index within its domain */
	struct domain *domain;	/* [I] */
	unsigned int processor; /* [s] pCPU it runs or last ran on */
	struct vcpu_runstate runstate;
	struct sched_vcpu *sched;		       /* [s] scheduler private */
	DECLARE_BITMAP(hard_affinity, CONFIG_NR_CPUS); /* [s] must run only here */
	DECLARE_BITMAP(soft_affinity, CONFIG_NR_CPUS); /* [s] prefers to run here */
	void *arch;				       /* [I] arch context (registers, ...) */
	/* Added by the domains/hypercall issue (common/vcpu.c): */
	bool is_up;		 /* [d] brought up by the guest or its builder */
	bool initialised;	 /* [d] has a context (builder or VCPUOP_initialise) */
	uint8_t upcall_vector;	 /* [d] x86 upcall vector, 0 = none */
	struct timer singleshot; /* guest one-shot timer (VIRQ_TIMER) */
	uint32_t virq_to_port[BASALT_VIRQ_NR]; /* [evtchn lock] 0 = unbound */
};

struct domain {
	domid_t domain_id; /* [I] */
	spinlock_t lock;
	unsigned int max_vcpus; /* [I] */
	struct vcpu **
	    vcpus; /* [I] array of max_vcpus (room for MAX_VCPUS_PER_DOMAIN), entries may be NULL */
	struct cpupool *cpupool;    /* [s] the pool it runs in */
	struct sched_domain *sched; /* [s] scheduler private */
	struct list_head link;	    /* [domlist lock] */
	/* Added by the domains/hypercall issue (common/domain.c): */
	bool is_privileged;		/* [I] may use domctl, sysctl, foreign memory */
	bool is_dying;			/* [d] destroy started; no new references */
	bool is_shutdown;		/* [d] */
	uint32_t shutdown_reason;	/* [d] BASALT_SHUTDOWN_*, valid with is_shutdown */
	unsigned int pause_count;	/* [d] domctl pauses outstanding */
	unsigned int refcnt;		/* [a] references: the list, callers, maps of its memory */
	unsigned int built;		/* [I] DOM_BUILT_* parts set up, for the unwind */
	uint64_t max_pages;		/* [d] memory limit (4 KiB pages) */
	uint64_t tot_pages;		/* [d] RAM pages the domain holds */
	bool direct_map;		/* [I] RAM at gfn == mfn (memory.c) */
	struct p2m *p2m;		/* [I] guest-physical map (own lock) */
	void *arch;			/* [I] arch state (arm64: stage 2, VMID, vGIC) */
	struct evtchn_domain *evtchn;	/* [I] event channels (own lock) */
	struct grant_table *gnttab;	/* [I] grants this domain offers (own lock) */
	struct maptrack *maptrack;	/* [I] grant/foreign maps it holds (gnttab locks) */
	struct domain_console *console; /* [I] output ring (own lock) */
	struct basalt_shared_info *shared_info; /* [I] hypervisor-owned page */
	uint64_t shared_info_gfn;		/* [d] where the guest mapped it, ~0 = nowhere */
	unsigned int nr_memmap;			/* [d] */
	struct basalt_memmap_entry memmap[BASALT_MEMMAP_MAX_ENTRIES]; /* [d] builder's map */
};

static inline bool is_idle_vcpu(const struct vcpu *v)
{
	return v->domain->domain_id == DOMID_IDLE;
}

/* dom0, the domain that gets VIRQ_DOM_EXC and owns the physical console. */
#define DOMID_HARDWARE 0

/* ---- domain lifecycle (common/domain.c) --------------------------------- */

/* What a domain is created with (the domctl createdomain fields). */
struct domain_config {
	uint32_t flags;	    /* BASALT_DOMCTL_CDF_* */
	uint32_t max_vcpus; /* 1 .. MAX_VCPUS_PER_DOMAIN */
	uint64_t max_pages;
	uint32_t max_evtchn_port;  /* 0 = default */
	uint32_t max_grant_frames; /* 0 = default */
	uint32_t cpupool;
};

/*
 * Create a domain with ID id (or BASALT_DOMID_ANY) and cfg->max_vcpus vCPUs,
 * all down. The domain starts paused once (domain_unpause() lets it run).
 * Returns 0 and *out (holding the list's reference), or -EINVAL (bad
 * config), -EEXIST (ID taken), -ENOSPC (no free ID), -ENOMEM.
 */
int domain_create(unsigned int id, const struct domain_config *cfg, struct domain **out);

/*
 * Tear d down completely: vCPUs, event channels, grants (both the ones it
 * offers and the maps it holds), memory, scheduler state. The emptied tables,
 * the structures and the ID are freed when the last reference is dropped
 * (at once when nobody else holds one). -EALREADY if already dying.
 */
int domain_destroy(struct domain *d);

/* A reference on a live (not dying) domain, or NULL. Drop with domain_put(). */
struct domain *domain_get(unsigned int id);
/* One more reference on d, for a caller that already holds one. */
void domain_hold(struct domain *d);
/* Drop a reference; the last one frees d. Not with domlist_lock held. */
void domain_put(struct domain *d);

int domain_pause(struct domain *d);   /* -EBUSY if the pause count would wrap */
int domain_unpause(struct domain *d); /* -EALREADY if not paused */

/* Ask d to shut down itself (shared-info shutdown_request + VIRQ_SHUTDOWN). -EBUSY. */
int domain_request_shutdown(struct domain *d, uint32_t reason);
/* Record reason, stop every vCPU, tell dom0 (VIRQ_DOM_EXC). -EINVAL bad reason. */
int domain_shutdown(struct domain *d, uint32_t reason);

/* Fill a getdomaininfo record (public/domctl.h) from d. */
struct basalt_domctl_getdomaininfo;
void domain_getinfo(struct domain *d, struct basalt_domctl_getdomaininfo *info);

/*
 * Call fn for each live domain with ID >= first, in ID order, until fn
 * returns non-zero (which is returned). fn runs with the list lock held.
 */
int domain_for_each(unsigned int first, int (*fn)(struct domain *d, void *data), void *data);

/* Live domains, and domain IDs in use (dying ones included): leak checks. */
unsigned int domain_count(void);
unsigned int domain_ids_in_use(void);

/*
 * Give d nr fresh zeroed RAM frames from first_gfn on (builders; counted
 * against max_pages). 0 or the first error (-EEXIST, -ENOMEM, -EINVAL);
 * frames already given stay with d (domain_destroy takes them back).
 */
int domain_populate_ram(struct domain *d, uint64_t first_gfn, uint64_t nr);

/* Append to d's console ring and echo it, tagged, to the hypervisor console. */
void domain_console_write(struct domain *d, const char *s, size_t n);

/* ---- vCPUs (common/vcpu.c) ------------------------------------------------ */

/* Allocate vCPU id of d (down, not initialised) and register it everywhere. */
int vcpu_create(struct domain *d, unsigned int id);
/* Take v off the scheduler and stop its timers (domain teardown). */
void vcpu_teardown(struct vcpu *v);
void vcpu_free(struct vcpu *v);
int vcpu_up(struct vcpu *v);   /* -EINVAL if it has no context, -EALREADY if up */
int vcpu_down(struct vcpu *v); /* -EALREADY if already down */
/* v turns itself off; with the domain's last vCPU the domain powers off. */
int vcpu_power_off(struct vcpu *v);
/* Give a down vCPU a register context (checked by the arch). -EINVAL, -EBUSY. */
struct basalt_vcpu_context;
int vcpu_set_context(struct vcpu *v, const struct basalt_vcpu_context *ctx);
/* Fill public runstate info for v. */
struct basalt_vcpu_runstate_info;
void vcpu_runstate_get(const struct vcpu *v, struct basalt_vcpu_runstate_info *info);

#endif
