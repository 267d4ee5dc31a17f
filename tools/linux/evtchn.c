// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels for dom0 user space.
 *
 * The shared page is a kernel page whose frame the hypervisor replaces with
 * the domain's shared info (BASALT_MEMOP_map_shared_info). The upcall is the
 * per-CPU interrupt named by the /hypervisor device-tree node; its handler
 * walks this CPU's pending_sel, clears each pending port and wakes the fd
 * bound to it. Each bind returns an anonymous-inode fd for one port.
 *
 * Locking: port_lock (IRQ-safe spinlock) protects ports[]; each port's
 * count is atomic and its waitqueue has its own lock.
 * Assumption: dom0's Linux CPU n is its vCPU n (true for the DT the builder
 * of dom0 writes: cpus in vCPU order).
 */
#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory_op.h>

#include "basalt_dev.h"
#include "basalt_mod.h"

struct port {
	u32 port;	/* [I] */
	atomic_t count; /* events since the last read */
	wait_queue_head_t wq;
	void (*notify)(void); /* [I] kernel-bound ports only: called in IRQ context */
};

static struct port *ports[BASALT_EVTCHN_MAX_PORTS]; /* [port_lock] */
static DEFINE_SPINLOCK(port_lock);
static struct basalt_shared_info *shared; /* [I] after init */
static int upcall_irq;
static int __percpu *upcall_cookie;

static void port_fire(u32 p)
{
	struct port *pt;
	unsigned long flags;

	spin_lock_irqsave(&port_lock, flags);
	pt = ports[p];
	if (pt && pt->notify) {
		pt->notify();
	} else if (pt) {
		atomic_inc(&pt->count);
		wake_up_interruptible(&pt->wq);
	}
	spin_unlock_irqrestore(&port_lock, flags);
}

static irqreturn_t upcall_handler(int irq, void *dev)
{
	unsigned int cpu = smp_processor_id();
	struct basalt_vcpu_info *vi;
	unsigned long sel;

	if (cpu >= BASALT_SHARED_MAX_VCPUS)
		return IRQ_NONE;
	vi = &shared->vcpu_info[cpu];
	WRITE_ONCE(vi->upcall_pending, 0);
	sel = xchg(&vi->pending_sel, 0);
	while (sel) {
		unsigned int w = __ffs(sel);
		unsigned long bits =
		    READ_ONCE(shared->evtchn_pending[w]) & ~READ_ONCE(shared->evtchn_mask[w]);

		sel &= sel - 1;
		while (bits) {
			unsigned int b = __ffs(bits);

			bits &= bits - 1;
			if (test_and_clear_bit(b, (unsigned long *)&shared->evtchn_pending[w]))
				port_fire(w * 64 + b);
		}
	}
	return IRQ_HANDLED;
}

static long evtchn_op(unsigned int op, void *arg, size_t len)
{
	return basalt_hypercall_obj(BASALT_HC_event_channel_op, op, arg, len);
}

static void port_undo(struct port *pt);

static int port_release(struct inode *inode, struct file *f)
{
	port_undo(f->private_data);
	return 0;
}

static ssize_t port_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	struct port *pt = f->private_data;
	u32 n;
	int rc;

	if (len < sizeof(n))
		return -EINVAL;
	for (;;) {
		n = atomic_xchg(&pt->count, 0);
		if (n)
			break;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		rc = wait_event_interruptible(pt->wq, atomic_read(&pt->count));
		if (rc)
			return rc;
	}
	return copy_to_user(buf, &n, sizeof(n)) ? -EFAULT : sizeof(n);
}

static ssize_t port_write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
	struct port *pt = f->private_data;
	struct basalt_evtchn_port_op op = { .port = pt->port };
	long rc;

	if (len < sizeof(u32))
		return -EINVAL;
	rc = evtchn_op(BASALT_EVTCHNOP_send, &op, sizeof(op));
	return rc < 0 ? basalt_errno(rc) : (ssize_t)len;
}

static __poll_t port_poll(struct file *f, poll_table *wait)
{
	struct port *pt = f->private_data;

	poll_wait(f, &pt->wq, wait);
	return atomic_read(&pt->count) ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations port_fops = {
	.owner = THIS_MODULE,
	.read = port_read,
	.write = port_write,
	.poll = port_poll,
	.release = port_release,
	.llseek = noop_llseek,
};

/* Issue the bind; on success returns the new local port (> 0). */
static long do_bind(struct basalt_dev_bind *b)
{
	struct basalt_evtchn_bind_interdomain bi = { .remote_dom = b->remote_dom,
						     .remote_port = b->remote_port };
	struct basalt_evtchn_bind_virq bv = { .virq = b->virq };
	struct basalt_evtchn_alloc_unbound au = { .dom = BASALT_DOMID_SELF,
						  .remote_dom = b->remote_dom };
	long rc;

	switch (b->kind) {
	case BASALT_DEV_BIND_INTERDOMAIN:
		rc = evtchn_op(BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi));
		return rc < 0 ? rc : bi.local_port;
	case BASALT_DEV_BIND_VIRQ:
		rc = evtchn_op(BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv));
		return rc < 0 ? rc : bv.port;
	case BASALT_DEV_BIND_UNBOUND:
		rc = evtchn_op(BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au));
		return rc < 0 ? rc : au.port;
	}
	return -BASALT_EINVAL;
}

/* Unregister and close a port whose fd never reached user space. */
static void port_undo(struct port *pt)
{
	struct basalt_evtchn_port_op op = { .port = pt->port };
	unsigned long flags;

	spin_lock_irqsave(&port_lock, flags);
	ports[pt->port] = NULL;
	spin_unlock_irqrestore(&port_lock, flags);
	evtchn_op(BASALT_EVTCHNOP_close, &op, sizeof(op));
	kfree(pt);
}

long basalt_ioctl_bind(void __user *uarg)
{
	struct basalt_dev_bind b;
	struct file *file;
	struct port *pt;
	unsigned long flags;
	long port;
	int fd;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (b._pad0 || b._pad1)
		return -EINVAL;
	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	port = do_bind(&b);
	if (port <= 0 || port >= BASALT_EVTCHN_MAX_PORTS) {
		kfree(pt);
		return port < 0 ? basalt_errno(port) : -EIO;
	}
	pt->port = port;
	init_waitqueue_head(&pt->wq);
	spin_lock_irqsave(&port_lock, flags);
	ports[port] = pt;
	spin_unlock_irqrestore(&port_lock, flags);
	fd = get_unused_fd_flags(O_CLOEXEC);
	file = fd < 0 ? ERR_PTR(fd) : anon_inode_getfile("basalt-evtchn", &port_fops, pt, O_RDWR);
	if (IS_ERR(file)) {
		if (fd >= 0)
			put_unused_fd(fd);
		port_undo(pt);
		return PTR_ERR(file);
	}
	b.port = port;
	if (copy_to_user(uarg, &b, sizeof(b))) {
		put_unused_fd(fd);
		fput(file); /* port_release() closes the port */
		return -EFAULT;
	}
	fd_install(fd, file);
	return fd;
}

/*
 * Bind a VIRQ for the module itself: notify runs in interrupt context each
 * time it fires. Returns the port (> 0) or a Linux errno.
 */
long basalt_evtchn_bind_virq_kernel(u32 virq, void (*notify)(void))
{
	struct basalt_dev_bind b = { .kind = BASALT_DEV_BIND_VIRQ, .virq = virq };
	struct port *pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	unsigned long flags;
	long port;

	if (!pt)
		return -ENOMEM;
	port = do_bind(&b);
	if (port <= 0 || port >= BASALT_EVTCHN_MAX_PORTS) {
		kfree(pt);
		return port < 0 ? basalt_errno(port) : -EIO;
	}
	pt->port = port;
	pt->notify = notify;
	init_waitqueue_head(&pt->wq);
	spin_lock_irqsave(&port_lock, flags);
	ports[port] = pt;
	spin_unlock_irqrestore(&port_lock, flags);
	return port;
}

/* Undo basalt_evtchn_bind_virq_kernel(). */
void basalt_evtchn_unbind_kernel(u32 port)
{
	unsigned long flags;
	struct port *pt;

	if (port >= BASALT_EVTCHN_MAX_PORTS)
		return;
	spin_lock_irqsave(&port_lock, flags);
	pt = ports[port];
	spin_unlock_irqrestore(&port_lock, flags);
	if (pt && pt->notify)
		port_undo(pt);
}

/* The toolstack's shutdown request (the hypervisor alone writes it): 0, or 1 + BASALT_SHUTDOWN_*.
 */
u32 basalt_shutdown_request(void)
{
	return shared ? smp_load_acquire(&shared->shutdown_request) : 0;
}

static void upcall_enable(void *unused)
{
	enable_percpu_irq(upcall_irq, IRQ_TYPE_NONE);
}

static void upcall_disable(void *unused)
{
	disable_percpu_irq(upcall_irq);
}

/* Map the shared page, then attach to the upcall PPI from /hypervisor. */
int basalt_evtchn_init(void)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, "basalt,hypervisor");
	unsigned long a[6] = {};
	long rc;

	if (!np)
		return -ENODEV;
	upcall_irq = irq_of_parse_and_map(np, 0);
	of_node_put(np);
	if (upcall_irq <= 0)
		return -ENODEV;
	shared = (void *)__get_free_page(GFP_KERNEL);
	if (!shared)
		return -ENOMEM;
	/* The shared page goes where dom0 has no RAM: give this frame back first. */
	a[0] = BASALT_MEMOP_map_shared_info;
	a[1] = virt_to_phys(shared) >> BASALT_PAGE_SHIFT;
	rc = basalt_reservation(a[1], 1, true);
	if (rc == 1)
		rc = basalt_hypercall(BASALT_HC_memory_op, a);
	else if (rc >= 0)
		rc = -BASALT_EIO;
	if (rc < 0) {
		/* Whatever is at that frame now is not Linux's RAM: leak the page. */
		pr_err("basalt: cannot map the shared info page (%ld)\n", rc);
		return basalt_errno(rc);
	}
	upcall_cookie = alloc_percpu(int);
	if (!upcall_cookie)
		return -ENOMEM;
	rc = request_percpu_irq(upcall_irq, upcall_handler, "basalt-upcall", upcall_cookie);
	if (rc) {
		free_percpu(upcall_cookie);
		return rc;
	}
	on_each_cpu(upcall_enable, NULL, 1);
	return 0;
}

void basalt_evtchn_exit(void)
{
	on_each_cpu(upcall_disable, NULL, 1);
	free_percpu_irq(upcall_irq, upcall_cookie);
	free_percpu(upcall_cookie);
	/* The shared page stays the hypervisor's frame in our map: never freed. */
}
