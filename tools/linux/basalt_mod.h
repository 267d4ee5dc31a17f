/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the Basalt dom0 module (tools/linux/). The module is
 * the only way dom0 user space reaches the hypervisor: hypercall.c bounces
 * argument buffers, evtchn.c owns the shared page and the upcall interrupt,
 * foreign.c maps other domains' memory, console.c is /dev/basalt_console.
 */
#ifndef BASALT_MOD_H
#define BASALT_MOD_H

#include <linux/fs.h>
#include <linux/types.h>

#include <public/basalt.h>

/* Issue hypercall nr with six arguments; returns its result (-BASALT_E*). */
long basalt_hypercall(unsigned long nr, const unsigned long a[6]);
/* A hypercall whose a2 is the guest-physical address of obj (len bytes, copied in and out). */
long basalt_hypercall_obj(unsigned long nr, unsigned long a1, void *obj, size_t len);
/* Balloon dom0's frames out (out = true) or back in; count done or -BASALT_E*. */
long basalt_reservation(u64 gfn, u32 nr, bool out);
/* Map a -BASALT_E* result to a Linux errno (same numbers, checked). */
int basalt_errno(long rc);

long basalt_ioctl_hypercall(void __user *uarg);

int basalt_evtchn_init(void);
void basalt_evtchn_exit(void);
long basalt_ioctl_bind(void __user *uarg);
long basalt_evtchn_bind_virq_kernel(u32 virq, void (*notify)(void));
void basalt_evtchn_unbind_kernel(u32 port);
u32 basalt_shutdown_request(void);

int basalt_shutdown_init(void);
void basalt_shutdown_exit(void);

int basalt_foreign_mmap(struct file *f, struct vm_area_struct *vma);
long basalt_ioctl_foreign_map(struct file *f, void __user *uarg);

int basalt_console_init(void);
void basalt_console_exit(void);

#endif
