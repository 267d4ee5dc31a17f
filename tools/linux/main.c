// SPDX-License-Identifier: GPL-2.0
/*
 * The Basalt dom0 module: /dev/basalt for the toolstack (hypercalls with
 * bounced buffers, event-channel binds, foreign memory) and
 * /dev/basalt_console. Loads only on Basalt (a "basalt,hypervisor" node in
 * the device tree) and only root may open the devices.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/of.h>

#include <public/basalt.h>
#include <public/version.h>

#include "basalt_dev.h"
#include "basalt_mod.h"

static int dev_open(struct inode *inode, struct file *f)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static long dev_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case BASALT_DEV_IOC_HYPERCALL:
		return basalt_ioctl_hypercall(uarg);
	case BASALT_DEV_IOC_BIND:
		return basalt_ioctl_bind(uarg);
	case BASALT_DEV_IOC_FOREIGN_MAP:
		return basalt_ioctl_foreign_map(f, uarg);
	}
	return -ENOTTY;
}

static const struct file_operations dev_fops = {
	.owner = THIS_MODULE,
	.open = dev_open,
	.unlocked_ioctl = dev_ioctl,
	.mmap = basalt_foreign_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice basalt_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "basalt",
	.fops = &dev_fops,
	.mode = 0600,
};

/* The interface's major must match ours; minors only ever add. */
static int check_version(void)
{
	unsigned long a[6] = { BASALT_VERSION_version };
	long v = basalt_hypercall(BASALT_HC_version, a);

	if (v < 0 || (v >> 16) != BASALT_INTERFACE_VERSION_MAJOR) {
		pr_err("basalt: hypervisor interface %ld.%ld, module built for %d.x\n", v >> 16,
		       v & 0xffff, BASALT_INTERFACE_VERSION_MAJOR);
		return -ENODEV;
	}
	pr_info("basalt: hypervisor interface %ld.%ld\n", v >> 16, v & 0xffff);
	return 0;
}

static int __init basalt_init(void)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, "basalt,hypervisor");
	int rc;

	/* No HVC before we know we run on Basalt: elsewhere it may trap. */
	of_node_put(np);
	if (!np)
		return -ENODEV;
	rc = check_version();
	if (rc)
		return rc;
	rc = basalt_evtchn_init();
	if (rc)
		return rc;
	rc = misc_register(&basalt_dev);
	if (rc)
		goto err_evtchn;
	rc = basalt_console_init();
	if (rc)
		goto err_dev;
	rc = basalt_shutdown_init();
	if (rc)
		goto err_console;
	return 0;
err_console:
	basalt_console_exit();
err_dev:
	misc_deregister(&basalt_dev);
err_evtchn:
	basalt_evtchn_exit();
	return rc;
}

static void __exit basalt_exit(void)
{
	basalt_shutdown_exit();
	basalt_console_exit();
	misc_deregister(&basalt_dev);
	basalt_evtchn_exit();
}

module_init(basalt_init);
module_exit(basalt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
    "Basalt hypervisor dom0 interface: hypercalls, event channels, foreign memory, console");
