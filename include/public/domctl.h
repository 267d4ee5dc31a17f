/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_domctl: a1 = gpa of struct basalt_domctl (copied in once, and
 * out once when the command has OUT fields). Privileged: dom0 or a domain
 * created with BASALT_DOMCTL_CDF_privileged; anyone else gets -BASALT_EPERM.
 * interface_version must be BASALT_DOMCTL_INTERFACE_VERSION.
 */
#ifndef BASALT_PUBLIC_DOMCTL_H
#define BASALT_PUBLIC_DOMCTL_H

#include "basalt.h"

#define BASALT_DOMCTL_INTERFACE_VERSION 1u

#define BASALT_DOMCTL_createdomain	 0
#define BASALT_DOMCTL_destroydomain	 1
#define BASALT_DOMCTL_pausedomain	 2
#define BASALT_DOMCTL_unpausedomain	 3
#define BASALT_DOMCTL_getdomaininfo	 4
#define BASALT_DOMCTL_max_mem		 5
#define BASALT_DOMCTL_max_vcpus		 6
#define BASALT_DOMCTL_setvcpucontext	 7
#define BASALT_DOMCTL_getvcpucontext	 8
#define BASALT_DOMCTL_setvcpuaffinity	 9
#define BASALT_DOMCTL_getvcpuaffinity	 10
#define BASALT_DOMCTL_scheduler_op	 11
#define BASALT_DOMCTL_map_guest_memory	 12
#define BASALT_DOMCTL_unmap_guest_memory 13
#define BASALT_DOMCTL_load_image	 14
#define BASALT_DOMCTL_set_memory_map	 15
#define BASALT_DOMCTL_shutdown		 16
/* Added in interface 1.1: */
#define BASALT_DOMCTL_getvcpuinfo      17
#define BASALT_DOMCTL_request_shutdown 18
#define BASALT_DOMCTL_NR	       19

/* createdomain flags */
#define BASALT_DOMCTL_CDF_privileged 1u /* may use domctl, sysctl and foreign memory */

/* domain: IN a free ID below BASALT_DOMID_FIRST_RESERVED, or DOMID_ANY; OUT the ID. */
struct basalt_domctl_createdomain {
	uint32_t flags;		   /* BASALT_DOMCTL_CDF_*; unknown bits -> EINVAL */
	uint32_t max_vcpus;	   /* 1 .. 128 */
	uint64_t max_pages;	   /* memory limit in 4 KiB pages */
	uint32_t max_evtchn_port;  /* 0 = default (1023); < BASALT_EVTCHN_MAX_PORTS */
	uint32_t max_grant_frames; /* 0 = default (4); <= BASALT_GRANT_MAX_FRAMES */
	uint32_t cpupool;	   /* 0 = Pool-0 */
	uint32_t _pad0;
};

/* getdomaininfo flags */
#define BASALT_DOMINF_dying	 1u
#define BASALT_DOMINF_shutdown	 2u
#define BASALT_DOMINF_paused	 4u
#define BASALT_DOMINF_privileged 8u
#define BASALT_DOMINF_running	 16u /* some vCPU is on a pCPU */
#define BASALT_DOMINF_blocked	 32u /* all online vCPUs are blocked */

struct basalt_domctl_getdomaininfo {
	basalt_domid_t domid; /* OUT */
	uint16_t _pad0;
	uint32_t flags;		  /* OUT: BASALT_DOMINF_* */
	uint32_t shutdown_reason; /* OUT: valid with BASALT_DOMINF_shutdown */
	uint32_t nr_online_vcpus; /* OUT */
	uint32_t max_vcpus;	  /* OUT */
	uint32_t cpupool;	  /* OUT */
	uint64_t tot_pages;	  /* OUT */
	uint64_t max_pages;	  /* OUT */
	int64_t cpu_time;	  /* OUT: ns run, all vCPUs */
};
BASALT_ABI_SIZE(struct basalt_domctl_getdomaininfo, 48);

struct basalt_domctl_max_mem {
	uint64_t max_pages; /* IN; below the current reservation -> EBUSY */
};

struct basalt_domctl_max_vcpus {
	uint32_t max; /* IN: 1 .. 128; only while no vCPU has been initialised */
	uint32_t _pad0;
};

/* set/getvcpucontext */
struct basalt_domctl_vcpucontext {
	uint32_t vcpu; /* IN */
	uint32_t _pad0;
	uint64_t ctx_gpa; /* IN: struct basalt_vcpu_context in the caller */
};

#define BASALT_VCPUAFF_hard 1u
#define BASALT_VCPUAFF_soft 2u

/* set/getvcpuaffinity */
struct basalt_domctl_vcpu_affinity {
	uint32_t vcpu;	      /* IN */
	uint32_t flags;	      /* IN: BASALT_VCPUAFF_* (exactly one for get) */
	uint64_t cpumap_gpa;  /* IN: bitmap of pCPUs, uint64_t words, one page */
	uint32_t cpumap_bits; /* IN: 1 .. 32768, a multiple of 64 */
	uint32_t _pad0;
};

/* Scheduler policies (the numbers Xen uses, for familiarity). */
#define BASALT_SCHED_credit   5u
#define BASALT_SCHED_credit2  6u
#define BASALT_SCHED_arinc653 7u
#define BASALT_SCHED_rtds     8u

#define BASALT_SCHEDOP_getinfo 0u
#define BASALT_SCHEDOP_putinfo 1u

#define BASALT_SCHED_ALL_VCPUS	0xffffffffu
#define BASALT_RTDS_F_extratime 1u /* may use otherwise idle time */

/* Per-domain (or per-vCPU, RTDS) scheduler parameters. */
struct basalt_sched_params {
	uint32_t sched_id; /* IN: must be the pool's scheduler; OUT on get */
	uint32_t cmd;	   /* IN: BASALT_SCHEDOP_getinfo/putinfo */
	uint32_t vcpu;	   /* IN: RTDS vCPU, or BASALT_SCHED_ALL_VCPUS */
	uint32_t _pad0;
	union {
		struct {
			uint32_t weight; /* 1 .. 65535 */
			uint32_t cap;	 /* percent of one pCPU, 0 = none */
		} credit;		 /* credit and credit2 */
		struct {
			uint64_t period_ns; /* 10 us .. 10 s */
			uint64_t budget_ns; /* 10 us .. period */
			uint32_t flags;	    /* BASALT_RTDS_F_*; unknown bits -> EINVAL */
			uint32_t _pad0;
		} rtds;
		uint8_t raw[32];
	} u;
};
BASALT_ABI_SIZE(struct basalt_sched_params, 48);

/*
 * Builder: map nr frames of the target domain, from foreign_gfn on, into the
 * caller's map at local_gfn on (unmap: the same range; foreign_gfn ignored).
 */
struct basalt_domctl_guest_memory {
	uint64_t foreign_gfn; /* IN */
	uint64_t local_gfn;   /* IN */
	uint32_t nr;	      /* IN: 1 .. 512 */
	uint32_t flags;	      /* IN: must be 0 */
};

/* Builder: copy len bytes from the caller's src_gpa to the target's dst_gpa. */
struct basalt_domctl_load_image {
	uint64_t src_gpa; /* IN */
	uint64_t dst_gpa; /* IN */
	uint64_t len;	  /* IN: <= 256 MiB; neither range may wrap */
};

/* Builder: the memory map BASALT_MEMOP_memory_map reports to the guest. */
struct basalt_domctl_memory_map {
	uint64_t buf_gpa;    /* IN: array of struct basalt_memmap_entry */
	uint32_t nr_entries; /* IN: <= BASALT_MEMMAP_MAX_ENTRIES */
	uint32_t _pad0;
};

struct basalt_domctl_shutdown {
	uint32_t reason; /* IN: BASALT_SHUTDOWN_* */
	uint32_t _pad0;
};

/* getvcpuinfo flags */
#define BASALT_VCPUINFO_up	    1u /* brought up (VCPUOP_up or the builder) */
#define BASALT_VCPUINFO_initialised 2u /* has a context */

/* One vCPU of another domain, for vcpu-list (1.1). Unknown vCPU -> ENOENT. */
struct basalt_domctl_getvcpuinfo {
	uint32_t vcpu;		/* IN */
	uint32_t state;		/* OUT: BASALT_RUNSTATE_* (vcpu_op.h) */
	uint32_t processor;	/* OUT: pCPU it runs or last ran on */
	uint32_t flags;		/* OUT: BASALT_VCPUINFO_* */
	int64_t time[4];	/* OUT: ns spent per BASALT_RUNSTATE_* */
	uint64_t hard_affinity; /* OUT: pCPUs 0..63 (getvcpuaffinity for more) */
	uint64_t soft_affinity; /* OUT */
};

/*
 * request_shutdown (1.1) uses struct basalt_domctl_shutdown: ask the guest
 * to shut down (poweroff or reboot) by itself. The reason is put in its
 * shared info page (shutdown_request) and BASALT_VIRQ_SHUTDOWN is raised;
 * the domain keeps running until it calls SCHEDOP_shutdown. Other reasons
 * -> EINVAL; a domain already shut down -> EBUSY.
 */

struct basalt_domctl {
	uint32_t cmd;		    /* IN: BASALT_DOMCTL_* */
	uint32_t interface_version; /* IN: BASALT_DOMCTL_INTERFACE_VERSION */
	basalt_domid_t domain;	    /* IN (createdomain: IN/OUT) */
	uint16_t _pad0;
	uint32_t _pad1;
	union {
		struct basalt_domctl_createdomain createdomain;
		struct basalt_domctl_getdomaininfo getdomaininfo;
		struct basalt_domctl_max_mem max_mem;
		struct basalt_domctl_max_vcpus max_vcpus;
		struct basalt_domctl_vcpucontext vcpucontext;
		struct basalt_domctl_vcpu_affinity vcpu_affinity;
		struct basalt_sched_params sched;
		struct basalt_domctl_guest_memory guest_memory;
		struct basalt_domctl_load_image load_image;
		struct basalt_domctl_memory_map memory_map;
		struct basalt_domctl_shutdown shutdown;
		struct basalt_domctl_getvcpuinfo getvcpuinfo;
		uint8_t raw[96]; /* fixes the size; unused bytes must be zero */
	} u;
};
BASALT_ABI_SIZE(struct basalt_domctl_createdomain, 32);
BASALT_ABI_SIZE(struct basalt_domctl_max_mem, 8);
BASALT_ABI_SIZE(struct basalt_domctl_max_vcpus, 8);
BASALT_ABI_SIZE(struct basalt_domctl_vcpucontext, 16);
BASALT_ABI_SIZE(struct basalt_domctl_vcpu_affinity, 24);
BASALT_ABI_SIZE(struct basalt_domctl_guest_memory, 24);
BASALT_ABI_SIZE(struct basalt_domctl_load_image, 24);
BASALT_ABI_SIZE(struct basalt_domctl_memory_map, 16);
BASALT_ABI_SIZE(struct basalt_domctl_shutdown, 8);
BASALT_ABI_SIZE(struct basalt_domctl_getvcpuinfo, 64);
BASALT_ABI_SIZE(struct basalt_domctl, 112);

#endif
