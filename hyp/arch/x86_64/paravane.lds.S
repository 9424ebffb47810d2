/*
 * Link map of the hypervisor image.
 *
 * One loadable segment, contiguous in the file from the multiboot header
 * onwards, because the multiboot a.out kludge loads the file verbatim
 * (see head.S). The function-symbol table produced by the second link pass
 * sits last among the loaded sections so that generating it cannot move
 * any function.
 */
#include "asm/layout.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start32)

PHDRS
{
    image PT_LOAD FLAGS(7);
}

SECTIONS
{
    . = HYP_IMAGE_OFFSET + HYP_LOAD_PHYS;
    __image_start = .;

    .text : AT(ADDR(.text) - HYP_IMAGE_OFFSET) {
        KEEP(*(.text.multiboot))
        *(.text.boot)
        *(.text .text.*)
        __etext = .;
    } :image

    .rodata : AT(ADDR(.rodata) - HYP_IMAGE_OFFSET) {
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __options_start = .;
        KEEP(*(.init.options))
        __options_end = .;
        . = ALIGN(8);
        __keyhandlers_start = .;
        KEEP(*(.keyhandlers))
        __keyhandlers_end = .;
        . = ALIGN(8);
        __start_ex_table = .;
        KEEP(*(__ex_table))
        __stop_ex_table = .;
    } :image

    .data : AT(ADDR(.data) - HYP_IMAGE_OFFSET) {
        *(.data .data.*)
    } :image

    .symtable : AT(ADDR(.symtable) - HYP_IMAGE_OFFSET) {
        . = ALIGN(8);
        KEEP(*(.symtable))
    } :image

    . = ALIGN(4096);
    __load_end = .;

    .bss (NOLOAD) : AT(ADDR(.bss) - HYP_IMAGE_OFFSET) {
        . = ALIGN(STACK_SIZE);
        *(.bss.stack)
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(4096);
    } :image
    __bss_start = ADDR(.bss);
    __bss_end = .;
    __image_end = .;

    /DISCARD/ : {
        *(.note .note.*)
        *(.comment)
        *(.eh_frame)
    }
}
