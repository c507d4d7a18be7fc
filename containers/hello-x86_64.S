# SPDX-License-Identifier: MIT
# hello-x86_64: the smallest program xos must run. No libc, two syscalls:
#   write(1, "hi\n", 3); exit(42)
# Linux x86-64 syscall ABI: number in rax, arguments in rdi, rsi, rdx
# (man 2 syscall). Build: as -o hello.o hello-x86_64.S && ld -static -o hello-x86_64.elf hello.o
        .globl _start
        .text
_start:
        mov     $1, %eax                # __NR_write
        mov     $1, %edi                # fd 1 (stdout)
        lea     msg(%rip), %rsi
        mov     $3, %edx
        syscall
        mov     $60, %eax               # __NR_exit
        mov     $42, %edi
        syscall
        hlt                             # not reached

        .section .rodata
msg:    .ascii  "hi\n"
