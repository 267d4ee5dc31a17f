# $(call collect,DIR,OUTDIR): include DIR/Build.mk, append its obj-y (as
# OUTDIR/DIR/x.o) to objs, and recurse into its subdir-y. Kbuild-like.
objs :=
define collect
obj-y :=
subdir-y :=
include $(1)/Build.mk
objs += $$(addprefix $(2)/$(1)/,$$(obj-y))
$$(foreach d,$$(subdir-y),$$(eval $$(call collect,$(1)/$$(d),$(2))))
endef

WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wvla -Wimplicit-fallthrough -Wpointer-arith -Wundef \
	-Wno-unused-parameter
