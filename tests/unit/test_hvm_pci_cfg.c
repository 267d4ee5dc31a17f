// SPDX-License-Identifier: MIT
/*
 * dom0's mediated PCI configuration mechanism #1 (arch/x86/hvm/lib/pci_cfg.c)
 * against a fake host: the address latch and its reserved bits, data
 * accesses of each size at each offset, the refused forms (disabled
 * address, straddling the dword, the reset-control byte at 0xcf9), and no
 * host at all.
 */
#include "../../arch/x86/hvm/hvm.h"
#include "../../arch/x86/hvm/lib/pci_cfg.h"
#include "test.h"

#include <basalt/lib.h>

static struct {
	unsigned int reads, writes;
	uint32_t addr, v;
	unsigned int off, size;
} host;

static uint32_t fake_read(uint32_t addr, unsigned int off, unsigned int size)
{
	host.reads++;
	host.addr = addr;
	host.off = off;
	host.size = size;
	return 0x11e81234u >> (8 * off);
}

static void fake_write(uint32_t addr, unsigned int off, unsigned int size, uint32_t v)
{
	host.writes++;
	host.addr = addr;
	host.off = off;
	host.size = size;
	host.v = v;
}

static const struct hvm_pci_host fake = { fake_read, fake_write };
static struct hvm_domain hd;

static int setup(void **state)
{
	memset(&host, 0, sizeof(host));
	memset(&hd, 0, sizeof(hd));
	hvm_pci_host = &fake;
	return 0;
}

static void test_ports(void **state)
{
	assert_false(hvm_pci_cfg_port(0xcf7));
	assert_true(hvm_pci_cfg_port(0xcf8));
	assert_true(hvm_pci_cfg_port(0xcf9));
	assert_true(hvm_pci_cfg_port(0xcff));
	assert_false(hvm_pci_cfg_port(0xd00));
}

static void test_address_latch(void **state)
{
	hvm_pci_cfg_write(&hd, 0xcf8, 4, 0xffffffffu);
	/* reserved bits 30:24 (AMD's extended registers) and 1:0 are dropped */
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcf8, 4), 0x80fffffcu);
	hvm_pci_cfg_write(&hd, 0xcf8, 4, 0x80001810u); /* bus 0, dev 3, fn 0, BAR0 */
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcf8, 4), 0x80001810u);
	/* bytes and words at 0xcf8-0xcfb are not the address: 0xcf9 resets the machine */
	hvm_pci_cfg_write(&hd, 0xcf9, 1, 0x06);
	hvm_pci_cfg_write(&hd, 0xcf8, 2, 0);
	hvm_pci_cfg_write(&hd, 0xcf8, 1, 0);
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcf8, 4), 0x80001810u);
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcf9, 1), 0xffffffffu);
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcfa, 2), 0xffffffffu);
	assert_int_equal(host.reads + host.writes, 0);
}

static void test_data_accesses(void **state)
{
	hvm_pci_cfg_write(&hd, 0xcf8, 4, 0x80001800u);
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcfc, 4), 0x11e81234u);
	assert_int_equal(host.addr, 0x80001800u);
	assert_int_equal(host.off, 0);
	assert_int_equal(host.size, 4);
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcfe, 2), 0x11e8);
	assert_int_equal(host.off, 2);
	assert_int_equal(host.size, 2);
	hvm_pci_cfg_read(&hd, 0xcff, 1);
	assert_int_equal(host.off, 3);
	hvm_pci_cfg_write(&hd, 0xcfd, 1, 0x04);
	assert_int_equal(host.writes, 1);
	assert_int_equal(host.off, 1);
	assert_int_equal(host.v, 0x04);
	hvm_pci_cfg_write(&hd, 0xcfc, 4, 0xffffffffu); /* BAR sizing goes through */
	assert_int_equal(host.writes, 2);
	assert_int_equal(host.v, 0xffffffffu);
	/* straddling the dword: nothing reaches the host */
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcfd, 4), 0xffffffffu);
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcff, 2), 0xffffffffu);
	hvm_pci_cfg_write(&hd, 0xcfe, 4, 0);
	assert_int_equal(host.reads, 3);
	assert_int_equal(host.writes, 2);
}

static void test_disabled_or_no_host(void **state)
{
	hvm_pci_cfg_write(&hd, 0xcf8, 4, 0x00001800u); /* enable bit clear */
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcfc, 4), 0xffffffffu);
	hvm_pci_cfg_write(&hd, 0xcfc, 4, 0);
	assert_int_equal(host.reads + host.writes, 0);
	hvm_pci_cfg_write(&hd, 0xcf8, 4, 0x80001800u);
	hvm_pci_host = NULL;
	assert_int_equal(hvm_pci_cfg_read(&hd, 0xcfc, 4), 0xffffffffu);
	hvm_pci_cfg_write(&hd, 0xcfc, 4, 0);
	assert_int_equal(host.reads + host.writes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ports, setup),
		cmocka_unit_test_setup(test_address_latch, setup),
		cmocka_unit_test_setup(test_data_accesses, setup),
		cmocka_unit_test_setup(test_disabled_or_no_host, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
