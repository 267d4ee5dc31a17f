/* SPDX-License-Identifier: MIT */
/*
 * Copying hypercall arguments between the hypervisor and guest memory, by
 * guest-physical address through the domain's p2m.
 *
 * Every copy lies within one guest page and is aligned as asked: the
 * hypervisor never follows a guest buffer across pages, so a guest cannot
 * make it touch a frame it did not check. Only the domain's own RAM is
 * accepted: frames it maps from other domains (grants, foreign maps) and
 * hypervisor pages (shared info, grant frames) are refused, so a hypercall
 * can never be tricked into writing memory that belongs to someone else.
 *
 * Handlers copy each argument in once, validate the private copy, act, and
 * copy results out once (no double fetch).
 *
 * Errors: -EINVAL (len 0 or > a page, misaligned, straddles a page),
 * -EFAULT (unmapped, not the domain's own RAM, or not reachable).
 */
#ifndef BASALT_GUEST_ACCESS_H
#define BASALT_GUEST_ACCESS_H

#include <basalt/types.h>

struct domain;

int copy_from_guest(struct domain *d, void *dst, uint64_t gpa, size_t len, size_t align);
int copy_to_guest(struct domain *d, uint64_t gpa, const void *src, size_t len, size_t align);

/* A struct is copied with its natural alignment (at most 8). */
#define GUEST_ALIGN(x) (__alignof__(x) < 8 ? __alignof__(x) : 8)
#define copy_struct_from_guest(d, ptr, gpa) \
	copy_from_guest(d, ptr, gpa, sizeof(*(ptr)), GUEST_ALIGN(*(ptr)))
#define copy_struct_to_guest(d, gpa, ptr) \
	copy_to_guest(d, gpa, ptr, sizeof(*(ptr)), GUEST_ALIGN(*(ptr)))

/*
 * Hypervisor address of byte gpa of d's own RAM, valid for len bytes within
 * the page, with the frame pinned (d cannot release it) until
 * guest_ram_put(d, gpa). NULL when not d's RAM (or the range is bad).
 */
void *guest_ram_get(struct domain *d, uint64_t gpa, size_t len);
void guest_ram_put(struct domain *d, uint64_t gpa);

/*
 * The same without the pin: only for tests and callers for whom d's memory
 * cannot change (single-threaded host tests).
 */
void *guest_ram_ptr(struct domain *d, uint64_t gpa, size_t len);

/* Whether the len bytes at p are all zero (reserved fields and padding). */
bool mem_is_zero(const void *p, size_t len);

#endif
