/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_version (a1 = sub-op, a2 = guest-physical address of the argument).
 */
#ifndef BASALT_PUBLIC_VERSION_H
#define BASALT_PUBLIC_VERSION_H

#include "basalt.h"

#define BASALT_VERSION_version	    0 /* returns BASALT_INTERFACE_VERSION; a2 = 0 */
#define BASALT_VERSION_extraversion 1 /* OUT struct basalt_version_extra */
#define BASALT_VERSION_features	    2 /* IN/OUT struct basalt_version_features */

struct basalt_version_extra {
	char extra[32]; /* OUT: NUL-terminated release string, e.g. "-rc1" */
};
BASALT_ABI_SIZE(struct basalt_version_extra, 32);

/* Feature bits of submap 0. */
#define BASALT_FEAT_EVTCHN_2L	 (1u << 0) /* 2-level event channels, shared page */
#define BASALT_FEAT_GNTTAB_V1	 (1u << 1) /* grant table entries of this ABI */
#define BASALT_FEAT_CONSOLE_RING (1u << 2) /* per-domain console ring */
#define BASALT_FEAT_VCPU_TIMER	 (1u << 3) /* per-vCPU one-shot timer */
#define BASALT_FEAT_PHYSDEV	 (1u << 4) /* 1.2: physdev_op, pirqs as events (arch has them) */

struct basalt_version_features {
	uint32_t index; /* IN: submap number; unknown submaps return bits = 0 */
	uint32_t bits;	/* OUT */
};
BASALT_ABI_SIZE(struct basalt_version_features, 8);

#endif
