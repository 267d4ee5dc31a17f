subdir-y += boot lib hvm
obj-y += setup.o time.o smp.o mm.o paging.o cpu.o traps.o entry.o acpi.o apic.o trampoline.o virt.o selftest.o console.o sched.o pirq.o
