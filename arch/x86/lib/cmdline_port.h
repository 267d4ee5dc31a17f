/* SPDX-License-Identifier: MIT */
#ifndef X86_LIB_CMDLINE_PORT_H
#define X86_LIB_CMDLINE_PORT_H

#include <basalt/types.h>

#define COM_PORT_MAX 0xfff8

/*
 * The I/O port of "com1=PORT" (0x.. or decimal) in a command line, read
 * before the console exists and so before cmdline_parse(). The last valid
 * com1= wins; invalid values (0, junk, above COM_PORT_MAX) are ignored.
 */
uint16_t cmdline_com1_port(const char *cmdline, uint16_t dflt);

#endif
