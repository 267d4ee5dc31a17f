/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks: FIFO fair, so no CPU starves under contention. Waiters
 * spin through cpu_relax() (wfe on arm64, pause on x86) and unlock wakes
 * them with cpu_wake_waiters() (sev on arm64): under emulation a tight spin
 * without them can starve the lock holder's emulated CPU.
 */
#ifndef BASALT_SPINLOCK_H
#define BASALT_SPINLOCK_H

#include <asm/cpu.h>
#include <asm/irq.h>
#include <basalt/types.h>

typedef struct {
	uint32_t next;	/* [a] next ticket to hand out */
	uint32_t owner; /* [a] ticket now holding the lock */
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}
#define DEFINE_SPINLOCK(l) spinlock_t l = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t expect = owner;

	return __atomic_compare_exchange_n(&l->next, &expect, owner + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	cpu_wake_waiters();
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

#endif
