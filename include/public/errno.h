/* SPDX-License-Identifier: MIT */
/*
 * Hypercall error codes: a hypercall returns -BASALT_E*. The values follow
 * Linux's asm-generic errno numbers so a dom0 driver can pass them through.
 * Numbers are never reused or given a second meaning.
 */
#ifndef BASALT_PUBLIC_ERRNO_H
#define BASALT_PUBLIC_ERRNO_H

#define BASALT_EPERM	 1   /* caller lacks the privilege for this operation */
#define BASALT_ENOENT	 2   /* no such object (port, grant, handle, mapping) */
#define BASALT_ESRCH	 3   /* no such domain */
#define BASALT_EINTR	 4   /* interrupted; the call may be repeated */
#define BASALT_EIO	 5   /* hardware or internal I/O failure */
#define BASALT_E2BIG	 7   /* argument list or buffer too long */
#define BASALT_EBADF	 9   /* bad handle or port number */
#define BASALT_EAGAIN	 11  /* try again later */
#define BASALT_ENOMEM	 12  /* out of hypervisor memory or over the domain's limit */
#define BASALT_EACCES	 13  /* the target object refuses this access (grant flags) */
#define BASALT_EFAULT	 14  /* a guest address is unmapped or not the caller's */
#define BASALT_EBUSY	 16  /* the object is in use (mapped grant, online vCPU) */
#define BASALT_EEXIST	 17  /* the object or slot already exists */
#define BASALT_EXDEV	 18  /* the object belongs to another domain */
#define BASALT_ENODEV	 19  /* no such device or facility */
#define BASALT_EINVAL	 22  /* malformed argument: bad command, flags, reserved bits */
#define BASALT_ENOSPC	 28  /* a table (ports, grants, maptrack, IDs) is full */
#define BASALT_ERANGE	 34  /* a value is out of its range */
#define BASALT_EDEADLK	 35  /* the request would deadlock (a domain acting on itself) */
#define BASALT_ENOSYS	 38  /* no such hypercall or sub-op */
#define BASALT_EOVERFLOW 75  /* a size or address computation wraps */
#define BASALT_ETIMEDOUT 110 /* a wait timed out */
#define BASALT_EALREADY	 114 /* the object is already in the requested state */

#endif
