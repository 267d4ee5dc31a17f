# Pure parsers (multiboot2, EFI memory map, ACPI tables): no hardware access,
# so they also build for the host and are unit-tested there (tests/unit/unit.mk).
obj-y += multiboot2.o memmap.o acpi.o cmdline_port.o pagetable.o devices.o
