/* SPDX-License-Identifier: MIT */
/* Fake arch: interrupts are a flag the tests can inspect. */
#ifndef ASM_FAKE_IRQ_H
#define ASM_FAKE_IRQ_H

extern unsigned long fake_irq_disabled;

static inline unsigned long local_irq_save(void)
{
	unsigned long old = fake_irq_disabled;

	fake_irq_disabled = 1;
	return old;
}

static inline void local_irq_restore(unsigned long flags)
{
	fake_irq_disabled = flags;
}

static inline void local_irq_enable(void)
{
	fake_irq_disabled = 0;
}

static inline void local_irq_disable(void)
{
	fake_irq_disabled = 1;
}

#endif
