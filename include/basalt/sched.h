/* SPDX-License-Identifier: MIT */
/*
 * The scheduler seam: everything outside sched/ schedules vCPUs through
 * these functions and never knows which policy (credit, credit2, RTDS,
 * ARINC 653) runs a domain's cpupool.
 *
 * Contract for callers (domains, hypercalls, arch code):
 *  - sched_init_domain() puts a new domain in a cpupool (0 = Pool-0);
 *    sched_init_vcpu() then adds each vCPU, initially RUNSTATE_OFFLINE.
 *  - vcpu_wake() makes a vCPU runnable (a no-op if it already is);
 *    vcpu_sleep() takes it off the pCPUs and returns once it is not running.
 *  - vcpu_yield() / vcpu_block() act on the vCPU running on this pCPU.
 * Errors are negative BASALT_E* codes (include/public/errno.h once present)
 * or -1 where noted.
 */
#ifndef BASALT_SCHED_H
#define BASALT_SCHED_H

#include <basalt/domain.h>

int sched_init_domain(struct domain *d, unsigned int poolid);
void sched_destroy_domain(struct domain *d);
int sched_init_vcpu(struct vcpu *v, unsigned int processor);
void sched_destroy_vcpu(struct vcpu *v);

void vcpu_wake(struct vcpu *v);
void vcpu_sleep(struct vcpu *v);
void vcpu_yield(void);
void vcpu_block(void);

int sched_set_affinity(struct vcpu *v, const unsigned long *hard, const unsigned long *soft);

/* The vCPU running on this pCPU (an idle vCPU when nothing else runs). */
struct vcpu *current_vcpu(void);

#endif
