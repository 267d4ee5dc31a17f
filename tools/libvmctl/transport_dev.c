// SPDX-License-Identifier: MIT
/* libvmctl: the real transport, the dom0 module's /dev/basalt. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

static int dev_hypercall(void *ctx, struct basalt_dev_hypercall *hc)
{
	int fd = (int)(intptr_t)ctx;

	return ioctl(fd, BASALT_DEV_IOC_HYPERCALL, hc) < 0 ? -errno : 0;
}

static int dev_bind(void *ctx, struct basalt_dev_bind *b)
{
	int fd = ioctl((int)(intptr_t)ctx, BASALT_DEV_IOC_BIND, b);

	return fd < 0 ? -errno : fd;
}

static void dev_close(void *ctx)
{
	close((int)(intptr_t)ctx);
}

struct vmctl *vmctl_open(void)
{
	struct vmctl_transport t = { dev_hypercall, dev_bind, dev_close, NULL };
	struct vmctl *h;
	int fd = open(BASALT_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	t.ctx = (void *)(intptr_t)fd;
	h = vmctl_open_transport(&t);
	if (!h)
		close(fd);
	return h;
}
