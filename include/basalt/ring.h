/* SPDX-License-Identifier: MIT */
/*
 * A byte ring addressed by absolute sequence numbers. Writers never block:
 * old bytes are overwritten. Readers keep their own position, so several
 * readers (the hypervisor dmesg, dom0 reading a domain's console) can read
 * independently and learn when they fell behind.
 * Not locked: the owner serialises writers and readers.
 */
#ifndef BASALT_RING_H
#define BASALT_RING_H

#include <basalt/types.h>

struct log_ring {
	char *buf;
	uint32_t size; /* [I] power of two */
	uint64_t head; /* sequence number of the next byte written */
};

/* size must be a power of two; buf must hold size bytes. */
int log_ring_init(struct log_ring *r, char *buf, uint32_t size);
void log_ring_write(struct log_ring *r, const char *s, size_t n);

/*
 * Copy up to len bytes starting at sequence *pos into out and advance *pos.
 * A *pos older than the oldest byte still held is moved up to it first (and
 * *lost set to the number of bytes skipped, when lost is not NULL).
 * Returns the number of bytes copied.
 */
size_t log_ring_read(const struct log_ring *r, uint64_t *pos, char *out, size_t len,
		     uint64_t *lost);

/* Sequence number of the oldest byte still held. */
uint64_t log_ring_tail(const struct log_ring *r);

#endif
