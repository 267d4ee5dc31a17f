// SPDX-License-Identifier: GPL-2.0
/*
 * Shutdown requests from the toolstack (`vmctl shutdown`/`reboot`): the
 * hypervisor writes the reason into the shared info page and raises
 * BASALT_VIRQ_SHUTDOWN; we run the system's own orderly power-off or reboot
 * (/sbin/poweroff, /sbin/reboot; forced if those cannot run), which ends in
 * PSCI SYSTEM_OFF/SYSTEM_RESET, so the domain's shutdown reason is the one
 * asked for. This is what a domU that loads the module gets instead of a
 * paravirtual shutdown driver in the kernel.
 *
 * Locking: none of its own; the work item serialises the reactions.
 */
#include <linux/reboot.h>
#include <linux/workqueue.h>

#include <public/event_channel.h>
#include <public/sched_op.h>

#include "basalt_mod.h"

static long shutdown_port;

static void shutdown_work_fn(struct work_struct *w)
{
	u32 req = basalt_shutdown_request();

	if (req == 1 + BASALT_SHUTDOWN_poweroff) {
		pr_info("basalt: power-off requested by the toolstack\n");
		orderly_poweroff(true);
	} else if (req == 1 + BASALT_SHUTDOWN_reboot) {
		pr_info("basalt: reboot requested by the toolstack\n");
		orderly_reboot();
	} else if (req) {
		pr_warn("basalt: ignoring shutdown request %u\n", req - 1);
	}
}

static DECLARE_WORK(shutdown_work, shutdown_work_fn);

/* IRQ context: defer to process context, where user-mode helpers may run. */
static void shutdown_notify(void)
{
	schedule_work(&shutdown_work);
}

int basalt_shutdown_init(void)
{
	shutdown_port = basalt_evtchn_bind_virq_kernel(BASALT_VIRQ_SHUTDOWN, shutdown_notify);
	return shutdown_port < 0 ? (int)shutdown_port : 0;
}

void basalt_shutdown_exit(void)
{
	basalt_evtchn_unbind_kernel((u32)shutdown_port);
	cancel_work_sync(&shutdown_work);
}
