# hypercall-abi/: the freestanding PV image loader and start-of-day layout
# code that the hypervisor's boot-domain builder and the toolstack's domU
# builder both link.

PVABI_HDRS := hypercall-abi/include/paravane/pv_image.h hypercall-abi/include/paravane/pv_layout.h

LINT_SRCS += $(PVABI_HDRS)
