/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_console_io: the guest console.
 *
 * write: a1 = BASALT_CONSOLEIO_write, a2 = gpa of the bytes, a3 = count.
 *        The bytes must lie within one guest page (count <= 4096). Returns
 *        the number of bytes written. The bytes go into the domain's console
 *        ring (read by dom0 with read_domain) and, tagged "(dN) ", to the
 *        hypervisor console.
 * read:  a1 = BASALT_CONSOLEIO_read, a2 = gpa of a buffer, a3 = count
 *        (<= 4096): input characters. dom0 reads the hypervisor's serial
 *        console; since 1.1 any other domain reads the input dom0 gave it
 *        with write_domain (1.0: other domains got -EPERM). Returns the
 *        bytes read (0 if none).
 * read_domain: a1 = BASALT_CONSOLEIO_read_domain, a2 = gpa of
 *        struct basalt_consoleio_read_domain. Privileged. Returns bytes read.
 * write_domain (1.1): a1 = BASALT_CONSOLEIO_write_domain, a2 = gpa of
 *        struct basalt_consoleio_write_domain. Privileged. Queues input for
 *        another domain's console (its read) and raises its
 *        BASALT_VIRQ_CONSOLE. Returns the bytes queued: fewer than len when
 *        the domain's input queue (BASALT_CONSOLEIO_INPUT_SIZE) is full.
 */
#ifndef BASALT_PUBLIC_CONSOLE_IO_H
#define BASALT_PUBLIC_CONSOLE_IO_H

#include "basalt.h"

#define BASALT_CONSOLEIO_write	      0
#define BASALT_CONSOLEIO_read	      1
#define BASALT_CONSOLEIO_read_domain  2
#define BASALT_CONSOLEIO_write_domain 3

#define BASALT_CONSOLEIO_INPUT_SIZE 1024u /* a domain's unread input, at most */

#define BASALT_CONSOLEIO_MAX 4096u

struct basalt_consoleio_read_domain {
	basalt_domid_t domid; /* IN: whose console ring */
	uint16_t _pad0;
	uint32_t len;	  /* IN: buffer size, <= 4096, within one page */
	uint64_t pos;	  /* IN/OUT: reader's sequence number in the ring */
	uint64_t buf_gpa; /* IN: where the bytes go */
	uint64_t lost;	  /* OUT: bytes overwritten before they were read */
};
BASALT_ABI_SIZE(struct basalt_consoleio_read_domain, 32);

struct basalt_consoleio_write_domain {
	basalt_domid_t domid; /* IN: not the caller itself */
	uint16_t _pad0;
	uint32_t len;	  /* IN: 1 .. 4096, within one page */
	uint64_t buf_gpa; /* IN: the bytes */
};
BASALT_ABI_SIZE(struct basalt_consoleio_write_domain, 16);

#endif
