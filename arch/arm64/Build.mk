obj-y += head.o setup.o time.o smp.o mm.o sched.o
