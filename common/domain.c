// SPDX-License-Identifier: MIT
/*
 * Domain lifecycle: IDs, creation, destruction, pause, shutdown, lookup.
 *
 * Lock order: domlist_lock -> d->lock -> a domain's evtchn, grant-table and
 * p2m locks (see event_channel.c, grant_table.c). domctl/sysctl run under
 * the domctl lock (domctl.c), which is taken before all of them.
 *
 * A domain lives while it has references: the domain list holds one from
 * creation to destroy, hypercalls take one with domain_get() while they act
 * on a domain. domain_destroy() empties everything (vCPUs off the scheduler,
 * ports closed, grants unmapped, memory returned) and drops the list's
 * reference; the last domain_put() frees the emptied tables, the structures
 * and the ID, so a reference holder never touches freed memory.
 */
#include <basalt/arch/setup.h>
#include <basalt/console.h>
#include <basalt/domain.h>
#include <basalt/event.h>
#include <basalt/grant_table.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/p2m.h>
#include <basalt/pirq.h>
#include <basalt/sched.h>
#include <basalt/xmalloc.h>
#include <public/domctl.h>
#include <public/grant_table.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>

#include "domain_private.h"

#define NR_DOMIDS BASALT_DOMID_FIRST_RESERVED

static DEFINE_SPINLOCK(domlist_lock);
static LIST_HEAD(domain_list);		     /* [domlist_lock] live domains, by ID */
static DECLARE_BITMAP(domid_map, NR_DOMIDS); /* [domlist_lock] IDs in use */
static unsigned int nr_domids;		     /* [domlist_lock] */
static unsigned int nr_live;		     /* [domlist_lock] */

static void pause_vcpus(struct domain *d);

/* ---- IDs and the list ----------------------------------------------------- */

/* Reserve id (or the lowest free one from 1 for ANY). domlist_lock held. */
static int domid_alloc(unsigned int id, domid_t *out)
{
	if (id == BASALT_DOMID_ANY) {
		id = find_next_zero_bit(domid_map, NR_DOMIDS, 1);
		if (id >= NR_DOMIDS)
			return -BASALT_ENOSPC;
	} else if (id >= NR_DOMIDS) {
		return -BASALT_EINVAL;
	} else if (test_bit(id, domid_map)) {
		return -BASALT_EEXIST;
	}
	set_bit(id, domid_map);
	nr_domids++;
	*out = (domid_t)id;
	return 0;
}

static void domid_free(domid_t id)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	clear_bit(id, domid_map);
	nr_domids--;
	spin_unlock_irqrestore(&domlist_lock, flags);
}

/* Insert d keeping the list in ID order. domlist_lock held. */
static void domlist_insert(struct domain *d)
{
	struct domain *pos;

	list_for_each_entry (pos, &domain_list, link) {
		if (pos->domain_id > d->domain_id) {
			list_add_tail(&d->link, &pos->link);
			nr_live++;
			return;
		}
	}
	list_add_tail(&d->link, &domain_list);
	nr_live++;
}

struct domain *domain_get(unsigned int id)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);
	struct domain *d, *found = NULL;

	list_for_each_entry (d, &domain_list, link) {
		if (d->domain_id == id && !READ_ONCE(d->is_dying)) {
			domain_hold(d);
			found = d;
			break;
		}
	}
	spin_unlock_irqrestore(&domlist_lock, flags);
	return found;
}

void domain_hold(struct domain *d)
{
	__atomic_fetch_add(&d->refcnt, 1, __ATOMIC_RELAXED);
}

/* Must not be called with domlist_lock held: the last put frees the ID under it. */
void domain_put(struct domain *d)
{
	if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		domain_free(d);
}

int domain_for_each(unsigned int first, int (*fn)(struct domain *d, void *data), void *data)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);
	struct domain *d;
	int rc = 0;

	list_for_each_entry (d, &domain_list, link) {
		if (d->domain_id >= first && (rc = fn(d, data)) != 0)
			break;
	}
	spin_unlock_irqrestore(&domlist_lock, flags);
	return rc;
}

unsigned int domain_count(void)
{
	return READ_ONCE(nr_live);
}

unsigned int domain_ids_in_use(void)
{
	return READ_ONCE(nr_domids);
}

/* ---- creation --------------------------------------------------------------- */

static int config_check(const struct domain_config *cfg)
{
	if (cfg->flags & ~BASALT_DOMCTL_CDF_privileged)
		return -BASALT_EINVAL;
	if (!cfg->max_vcpus || cfg->max_vcpus > MAX_VCPUS_PER_DOMAIN)
		return -BASALT_EINVAL;
	if (cfg->max_evtchn_port >= BASALT_EVTCHN_MAX_PORTS)
		return -BASALT_EINVAL;
	if (cfg->max_grant_frames > BASALT_GRANT_MAX_FRAMES)
		return -BASALT_EINVAL;
	if (cfg->max_pages > P2M_MAX_GFN + 1)
		return -BASALT_EINVAL;
	return 0;
}

static struct domain *domain_alloc(domid_t id, const struct domain_config *cfg)
{
	struct domain *d = xzalloc(struct domain);

	if (!d)
		return NULL;
	d->domain_id = id;
	d->max_vcpus = cfg->max_vcpus;
	d->max_pages = cfg->max_pages;
	d->is_privileged = cfg->flags & BASALT_DOMCTL_CDF_privileged;
	d->shared_info_gfn = ~0ULL;
	d->refcnt = 1;
	d->pause_count = 1; /* created paused: the builder unpauses */
	spin_lock_init(&d->lock);
	list_init(&d->link);
	d->vcpus = xzalloc_array(struct vcpu *, MAX_VCPUS_PER_DOMAIN); /* room for max_vcpus */
	d->shared_info = page_zalloc(0);
	if (!d->vcpus || !d->shared_info) {
		xfree(d->vcpus);
		if (d->shared_info)
			page_free(d->shared_info, 0);
		xfree(d);
		return NULL;
	}
	return d;
}

/* Each part of a domain, set up in order and undone in reverse. */
static int build_p2m(struct domain *d, const struct domain_config *cfg)
{
	(void)cfg;
	return p2m_init(d);
}

static int build_evtchn(struct domain *d, const struct domain_config *cfg)
{
	return evtchn_domain_init(d, cfg->max_evtchn_port);
}

static int build_gnttab(struct domain *d, const struct domain_config *cfg)
{
	return grant_table_init(d, cfg->max_grant_frames);
}

static int build_console(struct domain *d, const struct domain_config *cfg)
{
	(void)cfg;
	return domain_console_init(d);
}

static int build_sched(struct domain *d, const struct domain_config *cfg)
{
	return sched_init_domain(d, cfg->cpupool);
}

static int build_vcpus(struct domain *d, const struct domain_config *cfg)
{
	unsigned int i;
	int rc;

	for (i = 0; i < cfg->max_vcpus; i++) {
		rc = vcpu_create(d, i);
		if (rc)
			goto fail;
		vcpu_pause(d->vcpus[i]); /* the domain's creation pause */
	}
	return 0;
fail:
	while (i-- > 0) {
		vcpu_teardown(d->vcpus[i]);
		vcpu_free(d->vcpus[i]);
		d->vcpus[i] = NULL;
	}
	return rc;
}

static int (*const build_steps[DOM_BUILT_NR])(struct domain *, const struct domain_config *) = {
	[DOM_BUILT_P2M] = build_p2m,	   [DOM_BUILT_EVTCHN] = build_evtchn,
	[DOM_BUILT_GNTTAB] = build_gnttab, [DOM_BUILT_CONSOLE] = build_console,
	[DOM_BUILT_SCHED] = build_sched,   [DOM_BUILT_VCPUS] = build_vcpus,
};

int domain_create(unsigned int id, const struct domain_config *cfg, struct domain **out)
{
	struct domain *d;
	unsigned long flags;
	unsigned int step;
	domid_t domid;
	int rc = config_check(cfg);

	if (rc)
		return rc;
	flags = spin_lock_irqsave(&domlist_lock);
	rc = domid_alloc(id, &domid);
	spin_unlock_irqrestore(&domlist_lock, flags);
	if (rc)
		return rc;
	d = domain_alloc(domid, cfg);
	if (!d) {
		domid_free(domid);
		return -BASALT_ENOMEM;
	}
	for (step = 0; step < DOM_BUILT_NR; step++) {
		rc = build_steps[step](d, cfg);
		if (rc)
			goto fail; /* a failed step has undone its own work */
		d->built |= 1u << step;
	}
	flags = spin_lock_irqsave(&domlist_lock);
	domlist_insert(d);
	spin_unlock_irqrestore(&domlist_lock, flags);
	*out = d;
	return 0;
fail:
	d->is_dying = true;
	domain_relinquish(d);
	domain_free(d);
	return rc;
}

/* ---- teardown ---------------------------------------------------------------- */

/*
 * Return one p2m entry's backing: RAM pages to the heap. A frame another
 * domain still maps stays pinned until that map goes (the map holds a
 * reference on d); the final pass (data != NULL) finds none left.
 */
static void relinquish_entry(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t, void *data)
{
	if (t != p2m_ram)
		return; /* maps of others were undone by the grant code; shared pages are ours */
	if (p2m_remove(d, gfn, NULL, NULL) == 0) {
		page_free_mfn(mfn, 0);
		d->tot_pages--;
	} else if (data) {
		pr_err("d%u: gfn %#llx still pinned when freed: frame leaked\n", d->domain_id,
		       (unsigned long long)gfn_x(gfn));
	}
}

/* Empty every part that was built. d is dying and off the domain list. */
void domain_relinquish(struct domain *d)
{
	unsigned int i;

	pirq_domain_release(d); /* first: no device interrupt reaches d from here on */
	if (d->built & (1u << DOM_BUILT_VCPUS))
		for (i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i])
				vcpu_teardown(d->vcpus[i]);
	if (d->built & (1u << DOM_BUILT_EVTCHN))
		evtchn_domain_close_all(d);
	if (d->built & (1u << DOM_BUILT_GNTTAB))
		grant_table_relinquish(d);
	if (d->built & (1u << DOM_BUILT_P2M))
		p2m_for_each(d, relinquish_entry, NULL);
	if (d->built & (1u << DOM_BUILT_SCHED))
		sched_destroy_domain(d);
}

/* Free what is left once nobody refers to d. */
void domain_free(struct domain *d)
{
	domid_t id = d->domain_id;
	unsigned int i;

	/* Frames that others still mapped at destroy time are free to go now. */
	if (d->built & (1u << DOM_BUILT_P2M))
		p2m_for_each(d, relinquish_entry, d);
	for (i = 0; i < MAX_VCPUS_PER_DOMAIN; i++)
		if (d->vcpus[i])
			vcpu_free(d->vcpus[i]);
	if (d->built & (1u << DOM_BUILT_CONSOLE))
		domain_console_free(d);
	if (d->built & (1u << DOM_BUILT_GNTTAB))
		grant_table_free(d);
	if (d->built & (1u << DOM_BUILT_EVTCHN))
		evtchn_domain_free(d);
	if (d->built & (1u << DOM_BUILT_P2M))
		p2m_destroy(d);
	page_free(d->shared_info, 0);
	xfree(d->vcpus);
	xfree(d);
	domid_free(id);
}

int domain_destroy(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&domlist_lock);

	if (d->is_dying) {
		spin_unlock_irqrestore(&domlist_lock, flags);
		return -BASALT_EALREADY;
	}
	spin_lock(&d->lock);
	d->is_dying = true; /* domain_get() no longer finds it */
	spin_unlock(&d->lock);
	list_del(&d->link);
	nr_live--;
	spin_unlock_irqrestore(&domlist_lock, flags);

	/*
	 * Off every pCPU first: a vCPU in the middle of a hypercall finishes it
	 * before its domain is emptied (hypercalls are not preempted).
	 */
	if (d->built & (1u << DOM_BUILT_VCPUS))
		pause_vcpus(d);
	domain_relinquish(d);
	if (d->domain_id != DOMID_HARDWARE)
		send_global_virq(BASALT_VIRQ_DOM_EXC);
	domain_put(d); /* the list's reference */
	return 0;
}

/* ---- pause, shutdown, info ----------------------------------------------------- */

static void pause_vcpus(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			vcpu_pause(d->vcpus[i]);
}

static void unpause_vcpus(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			vcpu_unpause(d->vcpus[i]);
}

int domain_pause(struct domain *d)
{
	spin_lock(&d->lock);
	if (d->pause_count >= 255) {
		spin_unlock(&d->lock);
		return -BASALT_EBUSY;
	}
	d->pause_count++;
	spin_unlock(&d->lock);
	pause_vcpus(d);
	return 0;
}

int domain_unpause(struct domain *d)
{
	spin_lock(&d->lock);
	if (!d->pause_count) {
		spin_unlock(&d->lock);
		return -BASALT_EALREADY;
	}
	d->pause_count--;
	spin_unlock(&d->lock);
	unpause_vcpus(d);
	return 0;
}

int domain_shutdown(struct domain *d, uint32_t reason)
{
	bool first;

	if (reason >= BASALT_SHUTDOWN_NR)
		return -BASALT_EINVAL;
	spin_lock(&d->lock);
	first = !d->is_shutdown;
	d->is_shutdown = true;
	if (first)
		d->shutdown_reason = reason; /* the first reason is the one reported */
	spin_unlock(&d->lock);
	if (first)
		pause_vcpus(d); /* held until destroy; the guest never runs again */
	send_global_virq(BASALT_VIRQ_DOM_EXC);
	return 0;
}

/*
 * Ask d to shut down by itself: the reason in its shared info, then
 * VIRQ_SHUTDOWN. -EBUSY once it has shut down (too late to ask).
 */
int domain_request_shutdown(struct domain *d, uint32_t reason)
{
	int rc = 0;

	spin_lock(&d->lock);
	if (d->is_shutdown || d->is_dying)
		rc = -BASALT_EBUSY;
	else
		__atomic_store_n(&d->shared_info->shutdown_request, reason + 1, __ATOMIC_RELEASE);
	spin_unlock(&d->lock);
	if (!rc)
		send_domain_virq(d, BASALT_VIRQ_SHUTDOWN);
	return rc;
}

static uint32_t info_flags(struct domain *d, unsigned int *online, int64_t *cpu_time)
{
	uint32_t flags = 0, blocked = 0;
	unsigned int i;

	*online = 0;
	*cpu_time = 0;
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		struct basalt_vcpu_runstate_info rs;

		if (!v)
			continue;
		vcpu_runstate_get(v, &rs);
		*cpu_time += rs.time[BASALT_RUNSTATE_running];
		if (!v->is_up)
			continue;
		(*online)++;
		if (rs.state == BASALT_RUNSTATE_running)
			flags |= BASALT_DOMINF_running;
		if (rs.state == BASALT_RUNSTATE_blocked)
			blocked++;
	}
	if (*online && blocked == *online)
		flags |= BASALT_DOMINF_blocked;
	return flags;
}

void domain_getinfo(struct domain *d, struct basalt_domctl_getdomaininfo *info)
{
	unsigned int online;
	int64_t cpu_time;

	memset(info, 0, sizeof(*info));
	info->flags = info_flags(d, &online, &cpu_time);
	spin_lock(&d->lock);
	info->domid = d->domain_id;
	info->flags |= (d->is_dying ? BASALT_DOMINF_dying : 0) |
		       (d->is_shutdown ? BASALT_DOMINF_shutdown : 0) |
		       (d->pause_count ? BASALT_DOMINF_paused : 0) |
		       (d->is_privileged ? BASALT_DOMINF_privileged : 0);
	info->shutdown_reason = d->is_shutdown ? d->shutdown_reason : 0;
	info->nr_online_vcpus = online;
	info->max_vcpus = d->max_vcpus;
	info->cpupool = cpupool_id(d);
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->cpu_time = cpu_time;
	spin_unlock(&d->lock);
}

const char *shutdown_reason_name(uint32_t reason)
{
	static const char *const names[BASALT_SHUTDOWN_NR] = {
		[BASALT_SHUTDOWN_poweroff] = "poweroff",
		[BASALT_SHUTDOWN_reboot] = "reboot",
		[BASALT_SHUTDOWN_suspend] = "suspend",
		[BASALT_SHUTDOWN_crash] = "crash",
	};

	return reason < BASALT_SHUTDOWN_NR && names[reason] ? names[reason] : "destroyed";
}

/* A machine whose dom0 rebooted boots again, as a user of dom0 expects. */
void __noreturn machine_follow_dom0(uint32_t reason)
{
	if (reason == BASALT_SHUTDOWN_reboot) {
		printk("Basalt: dom0 has rebooted, restarting the machine\n");
		arch_machine_restart();
	}
	printk("Basalt: dom0 has shut down (reason: %s), powering the machine off\n",
	       shutdown_reason_name(reason));
	arch_machine_poweroff();
}
