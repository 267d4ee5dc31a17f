/* SPDX-License-Identifier: MIT */
/*
 * dom0's PCI configuration mechanism #1 (ports 0xcf8 address, 0xcfc-0xcff
 * data), mediated (pci_cfg.c): Basalt keeps the ports, so its own config
 * accesses and dom0's never interleave; dom0's dword writes to 0xcf8 are
 * latched per domain and each data access is replayed on the host as one
 * address + data pair under a lock. Plain C over a host seam, unit-tested.
 */
#ifndef ARCH_X86_HVM_PCI_CFG_H
#define ARCH_X86_HVM_PCI_CFG_H

#include <basalt/types.h>

#define PCI_CFG_ADDR	  0xcf8
#define PCI_CFG_DATA	  0xcfc
#define PCI_CFG_ENABLE	  0x80000000u
#define PCI_CFG_ADDR_MASK 0x80fffffcu /* enable, bus, device, function, dword register */

/* One config access on the host: addr is a CF8 value (enabled, dword aligned). */
struct hvm_pci_host {
	uint32_t (*read)(uint32_t addr, unsigned int off, unsigned int size);
	void (*write)(uint32_t addr, unsigned int off, unsigned int size, uint32_t v);
};

/* [I] set before dom0 runs; NULL: no host access (reads are all ones). */
extern const struct hvm_pci_host *hvm_pci_host;

struct hvm_domain;

/* Whether port belongs to the mechanism (0xcf8-0xcff). */
bool hvm_pci_cfg_port(uint16_t port);
/*
 * An IN or OUT of size 1, 2 or 4 at port by dom0. Only a dword at 0xcf8
 * is the address; the other bytes there (0xcf9: reset control) are
 * Basalt's: reads all ones, writes dropped. A data access needs the
 * enable bit and must stay within the dword.
 */
uint32_t hvm_pci_cfg_read(struct hvm_domain *hd, uint16_t port, unsigned int size);
void hvm_pci_cfg_write(struct hvm_domain *hd, uint16_t port, unsigned int size, uint32_t v);

#endif
