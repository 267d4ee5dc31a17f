# Scheduler core and policies (issue: schedulers).
obj-y += core.o cpupool.o
obj-$(CONFIG_SCHED_CREDIT) += credit.o
