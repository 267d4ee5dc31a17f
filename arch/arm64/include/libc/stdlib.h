/* SPDX-License-Identifier: MIT */
/* <stdlib.h> for libfdt's libfdt_env.h: nothing of it is used by Basalt. */
