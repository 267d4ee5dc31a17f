// SPDX-License-Identifier: MIT
#include <basalt/lib.h>
#include <basalt/ring.h>

int log_ring_init(struct log_ring *r, char *buf, uint32_t size)
{
	if (!buf || size == 0 || (size & (size - 1)))
		return -1;
	r->buf = buf;
	r->size = size;
	r->head = 0;
	return 0;
}

void log_ring_write(struct log_ring *r, const char *s, size_t n)
{
	/* Only the last size bytes of an oversized write can survive. */
	if (n > r->size) {
		r->head += n - r->size;
		s += n - r->size;
		n = r->size;
	}
	while (n) {
		uint32_t off = (uint32_t)(r->head & (r->size - 1));
		size_t chunk = MIN(n, (size_t)(r->size - off));

		memcpy(r->buf + off, s, chunk);
		r->head += chunk;
		s += chunk;
		n -= chunk;
	}
}

uint64_t log_ring_tail(const struct log_ring *r)
{
	return r->head > r->size ? r->head - r->size : 0;
}

size_t log_ring_read(const struct log_ring *r, uint64_t *pos, char *out, size_t len, uint64_t *lost)
{
	uint64_t tail = log_ring_tail(r);
	size_t done = 0;

	if (lost)
		*lost = *pos < tail ? tail - *pos : 0;
	if (*pos < tail)
		*pos = tail;
	if (*pos > r->head)
		*pos = r->head;
	while (done < len && *pos < r->head) {
		uint32_t off = (uint32_t)(*pos & (r->size - 1));
		size_t chunk = MIN(len - done, (size_t)(r->size - off));

		chunk = MIN(chunk, (size_t)(r->head - *pos));
		memcpy(out + done, r->buf + off, chunk);
		done += chunk;
		*pos += chunk;
	}
	return done;
}
