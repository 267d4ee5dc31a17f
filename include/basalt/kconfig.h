/* SPDX-License-Identifier: MIT */
/*
 * Force-included into every core and arch file: the generated configuration
 * and IS_ENABLED(), so code tests options with plain C and both branches
 * are always compiled.
 */
#ifndef BASALT_KCONFIG_H
#define BASALT_KCONFIG_H

#include <generated/autoconf.h>

/*
 * IS_ENABLED(CONFIG_FOO) is 1 when CONFIG_FOO is defined to 1, else 0.
 * The placeholder trick turns "defined as 1" into an extra macro argument.
 */
#define KCONFIG_ARG_PLACEHOLDER_1	       0,
#define KCONFIG_TAKE_SECOND(ignored, val, ...) val
#define KCONFIG_IS_DEFINED3(arg1_or_junk)      KCONFIG_TAKE_SECOND(arg1_or_junk 1, 0, 0)
#define KCONFIG_IS_DEFINED2(val)	       KCONFIG_IS_DEFINED3(KCONFIG_ARG_PLACEHOLDER_##val)
#define IS_ENABLED(option)		       KCONFIG_IS_DEFINED2(option)

#endif
