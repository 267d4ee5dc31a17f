// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/basalt_console: the hypervisor console. read() returns what the
 * hypervisor logged since this file's position (BASALT_SYSCTL_readconsole;
 * 0 = nothing new), write() prints to it (BASALT_CONSOLEIO_write).
 * Each open file has its own position in the hypervisor's ring, protected
 * by its mutex.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <public/console_io.h>
#include <public/sysctl.h>

#include "basalt_dev.h"
#include "basalt_mod.h"

struct con_file {
	struct mutex lock;
	u64 pos;  /* [lock] reader's sequence number in the hypervisor ring */
	u64 lost; /* [lock] bytes overwritten before we read them */
};

static int con_open(struct inode *inode, struct file *f)
{
	struct con_file *cf = kzalloc(sizeof(*cf), GFP_KERNEL);

	if (!cf)
		return -ENOMEM;
	mutex_init(&cf->lock);
	f->private_data = cf;
	return 0;
}

static int con_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
	return 0;
}

static ssize_t con_read_locked(struct con_file *cf, char __user *ubuf, size_t len,
			       struct basalt_sysctl *sc, void *page)
{
	unsigned long a[6] = { virt_to_phys(sc) };
	long rc;

	sc->cmd = BASALT_SYSCTL_readconsole;
	sc->interface_version = BASALT_SYSCTL_INTERFACE_VERSION;
	sc->u.readconsole.buf_gpa = virt_to_phys(page);
	sc->u.readconsole.len = min_t(size_t, len, PAGE_SIZE);
	sc->u.readconsole.pos = cf->pos;
	rc = basalt_hypercall(BASALT_HC_sysctl, a);
	if (rc < 0)
		return basalt_errno(rc);
	len = min_t(size_t, sc->u.readconsole.len, PAGE_SIZE);
	if (copy_to_user(ubuf, page, len))
		return -EFAULT;
	cf->pos = sc->u.readconsole.pos;
	cf->lost += sc->u.readconsole.lost;
	return len;
}

static ssize_t con_read(struct file *f, char __user *ubuf, size_t len, loff_t *off)
{
	struct con_file *cf = f->private_data;
	struct basalt_sysctl *sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	void *page = (void *)__get_free_page(GFP_KERNEL);
	ssize_t rc = -ENOMEM;

	if (sc && page && len) {
		mutex_lock(&cf->lock);
		rc = con_read_locked(cf, ubuf, len, sc, page);
		mutex_unlock(&cf->lock);
	} else if (!len) {
		rc = 0;
	}
	free_page((unsigned long)page);
	kfree(sc);
	return rc;
}

static ssize_t con_write(struct file *f, const char __user *ubuf, size_t len, loff_t *off)
{
	void *page = (void *)__get_free_page(GFP_KERNEL);
	unsigned long a[6] = { BASALT_CONSOLEIO_write };
	size_t n = min_t(size_t, len, PAGE_SIZE);
	long rc;

	if (!page)
		return -ENOMEM;
	rc = -EFAULT;
	if (!copy_from_user(page, ubuf, n)) {
		a[1] = virt_to_phys(page);
		a[2] = n;
		rc = basalt_hypercall(BASALT_HC_console_io, a);
		rc = rc < 0 ? basalt_errno(rc) : rc;
	}
	free_page((unsigned long)page);
	return rc;
}

static const struct file_operations con_fops = {
	.owner = THIS_MODULE,
	.open = con_open,
	.release = con_release,
	.read = con_read,
	.write = con_write,
	.llseek = noop_llseek,
};

static struct miscdevice con_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "basalt_console",
	.fops = &con_fops,
	.mode = 0600,
};

int basalt_console_init(void)
{
	return misc_register(&con_dev);
}

void basalt_console_exit(void)
{
	misc_deregister(&con_dev);
}
