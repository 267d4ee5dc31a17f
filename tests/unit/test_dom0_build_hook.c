// SPDX-License-Identifier: MIT
/*
 * The arch hook of the dom0 builder (arch_dom0_setup, common/dom0_build.c):
 * called once with the kernel module and dom0's RAM size after the image is
 * loaded, what it writes into dom0's RAM and the entry state it completes
 * reach vCPU 0, and its error undoes the whole build (free pages back at
 * their baseline). This file's strong arch_dom0_setup replaces the weak
 * default, as x86's does (arch/x86/hvm/domain.c).
 */
#include <basalt/arch/mm.h>
#include <basalt/arch/vcpu.h>
#include <basalt/cmdline.h>
#include <basalt/dom0_build.h>
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <public/errno.h>

#include "helpers/guest_env.h"
#include "test.h"

static struct boot_info bi;
static unsigned long baseline;
static void *image;

static struct {
	unsigned int calls;
	const struct boot_module *k;
	uint64_t mem;
	uint64_t pc_seen;
	int rc;
} hook;

int arch_dom0_setup(struct domain *d, const struct boot_module *k, uint64_t mem,
		    struct basalt_vcpu_context *ctx)
{
	static const char area[] = "boot area";
	uint64_t top = arch_guest_ram_base() + mem - PAGE_SIZE;

	hook.calls++;
	hook.k = k;
	hook.mem = mem;
	hook.pc_seen = ctx->pc;
	if (hook.rc)
		return hook.rc;
	if (copy_to_guest(d, top, area, sizeof(area), 1))
		return -BASALT_EFAULT;
	ctx->sp = top;
	ctx->gpr[6] = top; /* x86's rsi: where the boot area is */
	return 0;
}

static int setup(void **state)
{
	struct domain *d0 = genv_init();

	domain_destroy(d0);
	image = page_alloc(0);
	memset(image, 0x5a, PAGE_SIZE);
	memset(&bi, 0, sizeof(bi));
	bi.nr_modules = 1;
	bi.modules[0].kind = BOOT_MODULE_KERNEL;
	bi.modules[0].start = virt_to_maddr(image);
	bi.modules[0].size = PAGE_SIZE;
	memset(&hook, 0, sizeof(hook));
	baseline = page_free_count();
	return cmdline_parse("dom0_mem=1M dom0_vcpus=2");
}

static int teardown(void **state)
{
	page_free(image, 0);
	genv_fini();
	return 0;
}

static void test_hook_completes_the_entry(void **state)
{
	uint64_t ram = arch_guest_ram_base(), top = ram + (1 << 20) - PAGE_SIZE;
	struct basalt_vcpu_context ctx;
	struct domain *d;

	assert_int_equal(dom0_build(&bi, &d), 0);
	assert_int_equal(hook.calls, 1);
	assert_ptr_equal(hook.k, &bi.modules[0]);
	assert_int_equal(hook.mem, 1 << 20);
	assert_int_equal(hook.pc_seen, ram);
	assert_memory_equal(gptr(d, top), "boot area", 10);
	assert_memory_equal(gptr(d, ram), image, PAGE_SIZE); /* loaded before the hook */
	arch_vcpu_get_context(d->vcpus[0], &ctx);
	assert_int_equal(ctx.pc, ram);
	assert_int_equal(ctx.sp, top);
	assert_int_equal(ctx.gpr[6], top);
	assert_true(d->vcpus[0]->is_up);
	assert_int_equal(domain_destroy(d), 0);
	assert_int_equal(page_free_count(), baseline);
}

static void test_hook_failure_undoes_the_build(void **state)
{
	struct domain *d = NULL;

	hook.rc = -BASALT_ENOMEM;
	assert_int_equal(dom0_build(&bi, &d), -BASALT_ENOMEM);
	assert_int_equal(hook.calls, 1);
	assert_null(domain_get(0));
	assert_int_equal(page_free_count(), baseline);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hook_completes_the_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hook_failure_undoes_the_build, setup,
						teardown),
	};

	return RUN_TESTS(tests);
}
