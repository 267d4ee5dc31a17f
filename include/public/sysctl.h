/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_sysctl: a1 = gpa of struct basalt_sysctl (copied in once, out
 * once). Privileged, like domctl. interface_version must be
 * BASALT_SYSCTL_INTERFACE_VERSION.
 */
#ifndef BASALT_PUBLIC_SYSCTL_H
#define BASALT_PUBLIC_SYSCTL_H

#include "basalt.h"

#define BASALT_SYSCTL_INTERFACE_VERSION 1u

#define BASALT_SYSCTL_physinfo		0
#define BASALT_SYSCTL_getdomaininfolist 1
#define BASALT_SYSCTL_readconsole	2
#define BASALT_SYSCTL_cpupool_op	3
#define BASALT_SYSCTL_sched_pool_op	4
#define BASALT_SYSCTL_cpupool_list	5 /* 1.1 */
#define BASALT_SYSCTL_NR		6

struct basalt_sysctl_physinfo {
	uint32_t arch;	       /* OUT: BASALT_ARCH_* */
	uint32_t nr_cpus;      /* OUT: pCPUs online */
	uint32_t max_cpu_id;   /* OUT */
	uint32_t nr_domains;   /* OUT */
	uint64_t total_pages;  /* OUT: pages the hypervisor manages */
	uint64_t free_pages;   /* OUT: free now */
	uint64_t domain_pages; /* OUT: given to domains */
	uint64_t _reserved[3];
};
BASALT_ABI_SIZE(struct basalt_sysctl_physinfo, 64);

/*
 * Fill buf (array of struct basalt_domctl_getdomaininfo, within one page)
 * with the domains whose ID is >= first_domain, in ID order.
 */
struct basalt_sysctl_getdomaininfolist {
	basalt_domid_t first_domain; /* IN */
	uint16_t _pad0;
	uint32_t max_domains; /* IN: room in buf */
	uint64_t buf_gpa;     /* IN */
	uint32_t nr_domains;  /* OUT: entries written */
	uint32_t _pad1;
};
BASALT_ABI_SIZE(struct basalt_sysctl_getdomaininfolist, 24);

/* Read the hypervisor console ring (dmesg). */
struct basalt_sysctl_readconsole {
	uint64_t buf_gpa; /* IN: within one page */
	uint32_t len;	  /* IN/OUT: room, then bytes written */
	uint32_t _pad0;
	uint64_t pos;  /* IN/OUT: reader's sequence number */
	uint64_t lost; /* OUT: bytes overwritten before read */
};
BASALT_ABI_SIZE(struct basalt_sysctl_readconsole, 32);

#define BASALT_CPUPOOL_create	  0
#define BASALT_CPUPOOL_destroy	  1
#define BASALT_CPUPOOL_info	  2
#define BASALT_CPUPOOL_addcpu	  3
#define BASALT_CPUPOOL_rmcpu	  4
#define BASALT_CPUPOOL_movedomain 5

#define BASALT_CPUPOOL_ID_ANY 0xffffffffu

struct basalt_sysctl_cpupool_op {
	uint32_t op;	      /* IN: BASALT_CPUPOOL_* */
	uint32_t poolid;      /* IN (create: IN/OUT, ID_ANY picks one) */
	uint32_t sched_id;    /* IN create, OUT info: BASALT_SCHED_* */
	uint32_t cpu;	      /* IN addcpu/rmcpu */
	basalt_domid_t domid; /* IN movedomain */
	uint16_t _pad0;
	uint32_t n_dom;	 /* OUT info */
	uint64_t cpumap; /* OUT info: pCPUs 0..63 in the pool */
};
BASALT_ABI_SIZE(struct basalt_sysctl_cpupool_op, 32);

/*
 * cpupool_list (1.1): fill buf (array of struct basalt_cpupool_info, within
 * one page) with the pools whose ID is >= first_pool, in ID order.
 */
struct basalt_cpupool_info {
	uint32_t poolid;   /* OUT */
	uint32_t sched_id; /* OUT: BASALT_SCHED_* */
	uint32_t n_dom;	   /* OUT: domains in the pool */
	uint32_t n_cpus;   /* OUT: pCPUs in the pool (all of them, not only 0..63) */
	uint64_t cpumap;   /* OUT: pCPUs 0..63 in the pool */
};
BASALT_ABI_SIZE(struct basalt_cpupool_info, 24);

struct basalt_sysctl_cpupool_list {
	uint32_t first_pool; /* IN */
	uint32_t max_pools;  /* IN: room in buf, 1 .. 4096 / 24 */
	uint64_t buf_gpa;    /* IN */
	uint32_t nr_pools;   /* OUT: entries written */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_sysctl_cpupool_list, 24);

/*
 * sched_pool_op cmd getschedule (1.1, ARINC 653 pools only, else EINVAL):
 * getinfo plus the windows, written to entries_gpa; nr_entries is IN the
 * room there (1 .. 64) and OUT the schedule's window count (when that is more
 * than the room, only the first nr_entries IN are written).
 */
#define BASALT_SCHEDOP_getschedule 2u

/* Scheduler parameters of a whole cpupool. */
struct basalt_sysctl_sched_pool_op {
	uint32_t poolid;   /* IN */
	uint32_t sched_id; /* IN: must be the pool's; OUT on get */
	uint32_t cmd;	   /* IN: BASALT_SCHEDOP_getinfo/putinfo (domctl.h), getschedule */
	uint32_t _pad0;
	union {
		struct {
			uint32_t tslice_us;    /* 1000 .. 1000000 */
			uint32_t ratelimit_us; /* 0 .. tslice_us */
		} credit;
		struct {
			uint32_t ratelimit_us; /* 0 .. 100000 */
			uint32_t runq_cpus;    /* pCPUs per run queue */
		} credit2;
		struct {
			uint64_t major_frame_ns;
			uint64_t entries_gpa; /* array of struct basalt_arinc653_entry, one page */
			uint32_t nr_entries;  /* 1 .. 64 */
			uint32_t _pad0;
		} arinc653;
		uint8_t raw[48];
	} u;
};
BASALT_ABI_SIZE(struct basalt_sysctl_sched_pool_op, 64);

struct basalt_arinc653_entry {
	basalt_domid_t domid;
	uint16_t _pad0;
	uint32_t vcpu;
	uint64_t runtime_ns;
};
BASALT_ABI_SIZE(struct basalt_arinc653_entry, 16);

struct basalt_sysctl {
	uint32_t cmd;		    /* IN: BASALT_SYSCTL_* */
	uint32_t interface_version; /* IN: BASALT_SYSCTL_INTERFACE_VERSION */
	union {
		struct basalt_sysctl_physinfo physinfo;
		struct basalt_sysctl_getdomaininfolist getdomaininfolist;
		struct basalt_sysctl_readconsole readconsole;
		struct basalt_sysctl_cpupool_op cpupool_op;
		struct basalt_sysctl_sched_pool_op sched_pool_op;
		struct basalt_sysctl_cpupool_list cpupool_list;
		uint8_t raw[96]; /* fixes the size; unused bytes must be zero */
	} u;
};
BASALT_ABI_SIZE(struct basalt_sysctl, 104);

#endif
