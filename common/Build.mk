# The core library and boot flow. Everything in obj-y also builds for the
# host (tests/unit); obj-bare-y only exists in the real hypervisor.
obj-y += printf.o string.o parse.o bitmap.o ring.o console.o cmdline.o timer.o banner.o
obj-y += bootmem.o page_alloc.o xmalloc.o
# Domains, vCPUs and the hypercall ABI (include/public, docs/abi.md).
obj-y += p2m.o guest_access.o arch_defaults.o hypercall.o domain.o vcpu.o sched_op.o
obj-y += event_channel.o grant_table.o console_io.o memory.o domctl.o sysctl.o dom0_build.o
obj-y += dom0_layout.o
obj-y += console_input.o
# Physical interrupts of dom0's devices as events (public/physdev.h).
obj-y += pirq.o
obj-bare-y += main.o
obj-y += $(if $(filter host,$(ARCH)),,$(obj-bare-y))
obj-bare-y :=
