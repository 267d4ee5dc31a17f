# Scheduler core and policies (issue: schedulers).
obj-y += core.o cpupool.o policy.o
obj-$(CONFIG_SCHED_CREDIT) += credit.o
obj-$(CONFIG_SCHED_CREDIT2) += credit2.o
obj-$(CONFIG_SCHED_RTDS) += rtds.o
obj-$(CONFIG_SCHED_ARINC653) += arinc653.o
