# The core library and boot flow. Everything in obj-y also builds for the
# host (tests/unit); obj-bare-y only exists in the real hypervisor.
obj-y += printf.o string.o parse.o bitmap.o ring.o console.o cmdline.o timer.o banner.o
obj-y += bootmem.o page_alloc.o xmalloc.o
obj-bare-y += main.o
obj-y += $(if $(filter host,$(ARCH)),,$(obj-bare-y))
obj-bare-y :=
