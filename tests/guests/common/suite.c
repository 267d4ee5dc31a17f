// SPDX-License-Identifier: MIT
/* Which suite this image's dom0 runs: built once per image with -DGUEST_SUITE. */
#include "guest.h"

const unsigned int guest_suite = GUEST_SUITE;
