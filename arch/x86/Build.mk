subdir-y += boot
obj-y += setup.o time.o smp.o mm.o sched.o
