/* SPDX-License-Identifier: MIT */
/*
 * Force-included into host builds of the core and of the tests: the core's
 * C-library-named functions become basalt_*, so tests call ours and the C
 * library (used by cmocka and the sanitizers) stays untouched.
 */
#ifndef HOST_RENAME_H
#define HOST_RENAME_H

#define vsnprintf basalt_vsnprintf
#define snprintf  basalt_snprintf
#define memcpy	  basalt_memcpy
#define memmove	  basalt_memmove
#define memset	  basalt_memset
#define memcmp	  basalt_memcmp
#define memchr	  basalt_memchr
#define strlen	  basalt_strlen
#define strnlen	  basalt_strnlen
#define strcmp	  basalt_strcmp
#define strncmp	  basalt_strncmp
#define strchr	  basalt_strchr
#define strrchr	  basalt_strrchr
#define strlcpy	  basalt_strlcpy

#endif
