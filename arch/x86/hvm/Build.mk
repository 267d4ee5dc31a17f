# Hardware virtualization: the shared layer, the VT-x and AMD-V back ends,
# and (lib/) the EPT/NPT table builder that is also host-tested.
subdir-y += lib
obj-y += hvm.o domain.o dom0_devices.o fpu.o svm.o svm_entry.o vmx.o vmx_entry.o
