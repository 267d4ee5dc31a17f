# The hardware-independent part of HVM: the EPT/NPT table builder, guest
# memory access and the shared exit handlers. No hardware access, so it is
# also built for the host and unit-tested there (tests/unit/unit.mk).
obj-y += gpt.o p2m.o exits.o asid.o vcpu_ctx.o ioports.o sysregs.o pci_cfg.o
