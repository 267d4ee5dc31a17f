// SPDX-License-Identifier: MIT
/*
 * vCPUs: creation, up/down, register context through the arch seam,
 * runstate, the guest's one-shot timer; the vcpu_op and set_timer hypercalls.
 *
 * Locking: v->is_up and v->initialised are [d] (d->lock). The scheduler's
 * calls (vcpu_wake/sleep) are made without d->lock held.
 */
#include <basalt/arch/vcpu.h>
#include <basalt/domain.h>
#include <basalt/event.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/timer.h>
#include <basalt/xmalloc.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>

static void singleshot_fire(void *data)
{
	send_guest_vcpu_virq(data, BASALT_VIRQ_TIMER);
}

int vcpu_create(struct domain *d, unsigned int id)
{
	struct vcpu *v = xzalloc(struct vcpu);
	int rc;

	if (!v)
		return -BASALT_ENOMEM;
	v->vcpu_id = id;
	v->domain = d;
	bitmap_fill(v->hard_affinity, CONFIG_NR_CPUS);
	bitmap_fill(v->soft_affinity, CONFIG_NR_CPUS);
	timer_init(&v->singleshot, singleshot_fire, v, 0);
	rc = arch_vcpu_init(v);
	if (rc)
		goto fail;
	rc = sched_init_vcpu(v, 0);
	if (rc) {
		arch_vcpu_destroy(v);
		goto fail;
	}
	d->vcpus[id] = v;
	return 0;
fail:
	xfree(v);
	return rc;
}

void vcpu_teardown(struct vcpu *v)
{
	timer_stop(&v->singleshot);
	spin_lock(&v->domain->lock);
	v->is_up = false;
	spin_unlock(&v->domain->lock);
	sched_destroy_vcpu(v);
}

void vcpu_free(struct vcpu *v)
{
	arch_vcpu_destroy(v);
	xfree(v);
}

int vcpu_up(struct vcpu *v)
{
	int rc = 0;

	spin_lock(&v->domain->lock);
	if (!v->initialised)
		rc = -BASALT_EINVAL;
	else if (v->is_up)
		rc = -BASALT_EALREADY;
	else
		v->is_up = true;
	spin_unlock(&v->domain->lock);
	if (!rc)
		vcpu_wake(v); /* stays off the pCPUs while the domain is paused */
	return rc;
}

/*
 * Take v down. A vCPU taking itself down (VCPUOP_down, PSCI CPU_OFF, HLT
 * with interrupts off) is still in its exit handler, which goes on writing
 * its registers (return value, next instruction): it must not be switched
 * out here, where another vCPU could already give it a new context. It
 * stops being runnable now; its pCPU switches away when the exit ends.
 */
int vcpu_down(struct vcpu *v)
{
	int rc = 0;

	spin_lock(&v->domain->lock);
	if (!v->is_up)
		rc = -BASALT_EALREADY;
	v->is_up = false;
	spin_unlock(&v->domain->lock);
	if (rc)
		return rc;
	if (v == current_vcpu())
		vcpu_sleep_nosync(v);
	else
		vcpu_sleep(v);
	return 0;
}

static bool any_vcpu_up(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && READ_ONCE(d->vcpus[i]->is_up))
			return true;
	return false;
}

/*
 * v turns itself off (PSCI CPU_OFF): the domain powers off with its last
 * vCPU, as a machine would, since nothing inside it could ever start one
 * again. Two last vCPUs racing both shut it down; the reason is the same.
 */
int vcpu_power_off(struct vcpu *v)
{
	int rc = vcpu_down(v);

	if (!rc && !any_vcpu_up(v->domain))
		domain_shutdown(v->domain, BASALT_SHUTDOWN_poweroff);
	return rc;
}

void vcpu_runstate_get(const struct vcpu *v, struct basalt_vcpu_runstate_info *info)
{
	const struct vcpu_runstate *rs = &v->runstate;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->state = rs->state;
	info->state_entry_time = rs->entered;
	for (i = 0; i < RUNSTATE_MAX; i++)
		info->time[i] = rs->time[i];
	/* The current state's time so far, so the figures add up to now. */
	if (rs->state < RUNSTATE_MAX && now() > rs->entered)
		info->time[rs->state] += now() - rs->entered;
}

/*
 * Give v a checked context (builder or the guest itself). v must be down:
 * -EBUSY otherwise. BASALT_CTX_F_ONLINE brings it up.
 *
 * A vCPU that has just taken itself down may still be on its pCPU (is_up
 * is cleared before it is switched out, and its registers are saved after
 * that): the pause waits until it is off every pCPU with its registers
 * saved, so the new context is not overwritten by the old one.
 */
int vcpu_set_context(struct vcpu *v, const struct basalt_vcpu_context *ctx)
{
	int rc = arch_vcpu_check_context(ctx);

	if (rc)
		return rc;
	if (READ_ONCE(v->is_up))
		return -BASALT_EBUSY;
	vcpu_pause(v);
	spin_lock(&v->domain->lock);
	if (v->is_up) {
		rc = -BASALT_EBUSY;
	} else {
		arch_vcpu_set_context(v, ctx);
		v->initialised = true;
	}
	spin_unlock(&v->domain->lock);
	vcpu_unpause(v);
	if (rc)
		return rc;
	return ctx->flags & BASALT_CTX_F_ONLINE ? vcpu_up(v) : 0;
}

/* The one-shot timer: fire at deadline (absolute ns), 0 = stop. */
static long vcpu_timer_set(struct vcpu *v, int64_t deadline, uint32_t flags)
{
	if (deadline < 0 || (flags & ~BASALT_TIMER_F_FUTURE))
		return -BASALT_EINVAL;
	if (!deadline) {
		timer_stop(&v->singleshot);
		return 0;
	}
	if ((flags & BASALT_TIMER_F_FUTURE) && deadline < now())
		return -BASALT_ETIMEDOUT;
	timer_migrate(&v->singleshot, v->processor);
	timer_set(&v->singleshot, deadline);
	return 0;
}

/* ---- vcpu_op: a1 = sub-op, a2 = vCPU of the caller's domain, a3 = argument */

static struct vcpu *op_vcpu(struct vcpu *cur, uint64_t id)
{
	struct domain *d = cur->domain;

	return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

static long vcpuop_initialise(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);
	struct basalt_vcpu_context ctx;
	int rc;

	if (!v)
		return -BASALT_ENOENT;
	rc = copy_struct_from_guest(cur->domain, &ctx, a[2]);
	return rc ? rc : vcpu_set_context(v, &ctx);
}

static long vcpuop_up(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);

	return v ? vcpu_up(v) : -BASALT_ENOENT;
}

static long vcpuop_down(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);

	return v ? vcpu_down(v) : -BASALT_ENOENT;
}

static long vcpuop_is_up(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);

	return v ? READ_ONCE(v->is_up) : -BASALT_ENOENT;
}

static long vcpuop_runstate(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);
	struct basalt_vcpu_runstate_info info;

	if (!v)
		return -BASALT_ENOENT;
	vcpu_runstate_get(v, &info);
	return copy_struct_to_guest(cur->domain, a[2], &info);
}

static long vcpuop_set_timer(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);
	struct basalt_vcpu_set_singleshot_timer t;
	int rc;

	if (!v)
		return -BASALT_ENOENT;
	rc = copy_struct_from_guest(cur->domain, &t, a[2]);
	if (rc)
		return rc;
	if (t._pad0 || !t.timeout)
		return -BASALT_EINVAL;
	return vcpu_timer_set(v, t.timeout, t.flags);
}

static long vcpuop_stop_timer(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);

	if (!v)
		return -BASALT_ENOENT;
	timer_stop(&v->singleshot);
	return 0;
}

static long vcpuop_register_upcall(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	struct vcpu *v = op_vcpu(cur, a[1]);

	if (!v)
		return -BASALT_ENOENT;
	if (a[2] && (a[2] < 0x20 || a[2] > 0xff))
		return -BASALT_EINVAL; /* x86: exceptions and beyond-vector numbers */
	spin_lock(&cur->domain->lock);
	v->upcall_vector = (uint8_t)a[2];
	spin_unlock(&cur->domain->lock);
	return 0;
}

static const struct hypercall_op vcpu_ops[] = {
	[BASALT_VCPUOP_initialise] = { vcpuop_initialise, 3, false },
	[BASALT_VCPUOP_up] = { vcpuop_up, 2, false },
	[BASALT_VCPUOP_down] = { vcpuop_down, 2, false },
	[BASALT_VCPUOP_is_up] = { vcpuop_is_up, 2, false },
	[BASALT_VCPUOP_get_runstate_info] = { vcpuop_runstate, 3, false },
	[BASALT_VCPUOP_set_singleshot_timer] = { vcpuop_set_timer, 3, false },
	[BASALT_VCPUOP_stop_singleshot_timer] = { vcpuop_stop_timer, 2, false },
	[BASALT_VCPUOP_register_upcall] = { vcpuop_register_upcall, 3, false },
};

const struct hypercall_family hc_vcpu_op_family = { .subops = vcpu_ops,
						    .nr_subops = ARRAY_SIZE(vcpu_ops) };

/* ---- set_timer: a1 = absolute deadline in ns, 0 = cancel ---------------- */

static long do_set_timer(struct vcpu *cur, const uint64_t a[HC_NARGS])
{
	return vcpu_timer_set(cur, (int64_t)a[0], 0);
}

const struct hypercall_family hc_set_timer_family = { .op = { do_set_timer, 1, false } };
