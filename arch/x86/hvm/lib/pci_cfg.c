// SPDX-License-Identifier: MIT
/* dom0's PCI configuration mechanism #1, mediated (pci_cfg.h). */
#include "pci_cfg.h"

#include "../hvm.h"

const struct hvm_pci_host *hvm_pci_host;

bool hvm_pci_cfg_port(uint16_t port)
{
	return port >= PCI_CFG_ADDR && port < PCI_CFG_DATA + 4;
}

/* The latched address for a data access at port of size, or 0: nothing there. */
static uint32_t data_addr(struct hvm_domain *hd, uint16_t port, unsigned int size)
{
	uint32_t addr = __atomic_load_n(&hd->pci_cf8, __ATOMIC_RELAXED);
	unsigned int off = port - PCI_CFG_DATA;

	if (port < PCI_CFG_DATA || off + size > 4 || !(addr & PCI_CFG_ENABLE) || !hvm_pci_host)
		return 0;
	return addr;
}

uint32_t hvm_pci_cfg_read(struct hvm_domain *hd, uint16_t port, unsigned int size)
{
	uint32_t addr;

	if (port == PCI_CFG_ADDR && size == 4)
		return __atomic_load_n(&hd->pci_cf8, __ATOMIC_RELAXED);
	addr = data_addr(hd, port, size);
	return addr ? hvm_pci_host->read(addr, port - PCI_CFG_DATA, size) : 0xffffffffu;
}

void hvm_pci_cfg_write(struct hvm_domain *hd, uint16_t port, unsigned int size, uint32_t v)
{
	uint32_t addr;

	if (port == PCI_CFG_ADDR && size == 4) {
		__atomic_store_n(&hd->pci_cf8, v & PCI_CFG_ADDR_MASK, __ATOMIC_RELAXED);
		return;
	}
	addr = data_addr(hd, port, size);
	if (addr)
		hvm_pci_host->write(addr, port - PCI_CFG_DATA, size, v);
}
