/* SPDX-License-Identifier: MIT */
#ifndef BASALT_TYPES_H
#define BASALT_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t s_time_t; /* system time in nanoseconds since boot */

typedef uint64_t paddr_t; /* physical address */
typedef uint64_t vaddr_t; /* hypervisor virtual address */

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL
#define MICROSECS(us) ((s_time_t)(us)*1000LL)
#define MILLISECS(ms) ((s_time_t)(ms)*1000000LL)
#define SECONDS(s)    ((s_time_t)(s)*1000000000LL)

#endif
