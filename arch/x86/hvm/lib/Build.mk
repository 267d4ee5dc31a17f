# Guest-physical page-table builder (EPT and NPT formats): pure data
# structure code, built for the host too and unit-tested there.
obj-y += gpt.o
