// SPDX-License-Identifier: MIT
/*
 * Lock order: a timer queue lock is a leaf; timer_migrate takes two queue
 * locks in CPU-index order. A timer's callback runs without any queue lock
 * held, so it may re-arm itself or other timers.
 */
#include <basalt/arch/smp.h>
#include <basalt/spinlock.h>
#include <basalt/timer.h>

struct timer_queue {
	spinlock_t lock;
	struct list_head timers; /* [lock] ordered by expires */
};

static struct timer_queue queues[CONFIG_NR_CPUS];

void timer_subsys_init(void)
{
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		spin_lock_init(&queues[i].lock);
		list_init(&queues[i].timers);
	}
}

void timer_init(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
	t->expires = STIME_MAX;
	t->fn = fn;
	t->data = data;
	t->cpu = cpu < CONFIG_NR_CPUS ? cpu : 0;
	t->active = false;
	list_init(&t->link);
}

/* Insert in deadline order; returns true if t became the earliest. */
static bool queue_insert(struct timer_queue *q, struct timer *t)
{
	struct timer *pos;

	list_for_each_entry (pos, &q->timers, link) {
		if (t->expires < pos->expires) {
			list_add_tail(&t->link, &pos->link);
			goto out;
		}
	}
	list_add_tail(&t->link, &q->timers);
out:
	t->active = true;
	return q->timers.next == &t->link;
}

static void queue_remove(struct timer *t)
{
	if (t->active) {
		list_del(&t->link);
		t->active = false;
	}
}

/* Lock the queue that t is on; t->cpu may change until we hold it. */
static struct timer_queue *lock_timer_queue(struct timer *t, unsigned long *flags)
{
	for (;;) {
		unsigned int cpu = READ_ONCE(t->cpu);
		struct timer_queue *q = &queues[cpu];

		*flags = spin_lock_irqsave(&q->lock);
		if (cpu == t->cpu)
			return q;
		spin_unlock_irqrestore(&q->lock, *flags);
	}
}

/* The earliest deadline of a queue changed: reprogram or kick its CPU. */
static void notify_cpu(unsigned int cpu)
{
	if (cpu == smp_processor_id())
		arch_timer_program(timer_next_deadline(cpu));
	else
		arch_kick_timer(cpu);
}

void timer_set(struct timer *t, s_time_t expires)
{
	unsigned long flags;
	struct timer_queue *q = lock_timer_queue(t, &flags);
	unsigned int cpu = t->cpu;
	bool first;

	queue_remove(t);
	t->expires = expires;
	first = queue_insert(q, t);
	spin_unlock_irqrestore(&q->lock, flags);
	if (first)
		notify_cpu(cpu);
}

void timer_stop(struct timer *t)
{
	unsigned long flags;
	struct timer_queue *q = lock_timer_queue(t, &flags);

	queue_remove(t);
	spin_unlock_irqrestore(&q->lock, flags);
}

bool timer_is_active(const struct timer *t)
{
	return READ_ONCE(t->active);
}

void timer_migrate(struct timer *t, unsigned int cpu)
{
	unsigned long flags;
	struct timer_queue *q;
	bool was_active;

	if (cpu >= CONFIG_NR_CPUS)
		return;
	q = lock_timer_queue(t, &flags);
	was_active = t->active;
	queue_remove(t);
	WRITE_ONCE(t->cpu, cpu);
	spin_unlock_irqrestore(&q->lock, flags);
	if (was_active)
		timer_set(t, t->expires);
}

s_time_t timer_next_deadline(unsigned int cpu)
{
	struct timer_queue *q = &queues[cpu];

	if (list_empty(&q->timers))
		return STIME_MAX;
	return list_first_entry(&q->timers, struct timer, link)->expires;
}

/* Pop the first timer of q if it is due; returns it with the lock dropped. */
static struct timer *pop_expired(struct timer_queue *q, s_time_t when)
{
	struct timer *t = NULL;
	unsigned long flags = spin_lock_irqsave(&q->lock);

	if (!list_empty(&q->timers)) {
		t = list_first_entry(&q->timers, struct timer, link);
		if (t->expires <= when)
			queue_remove(t);
		else
			t = NULL;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return t;
}

void timer_interrupt(void)
{
	unsigned int cpu = smp_processor_id();
	struct timer_queue *q = &queues[cpu];
	struct timer *t;
	unsigned long flags;

	while ((t = pop_expired(q, now())) != NULL)
		t->fn(t->data);
	flags = spin_lock_irqsave(&q->lock);
	arch_timer_program(timer_next_deadline(cpu));
	spin_unlock_irqrestore(&q->lock, flags);
}
