// SPDX-License-Identifier: MIT
// Kernel tests with tiny guest programs run on the real CPU: a read of stdin
// blocks (XOS_IDLE) and resumes when input is pushed, unknown syscalls give
// ENOSYS, faults kill with the right wait status, bad pointers give EFAULT.
#include <stdint.h>
#include <stdlib.h>

#include "host/api.h"
#include "kernel/kernel.h"
#include "test.h"

// An ET_EXEC at 0x400000 whose code is the given bytes, padded with int3.
static size_t elf_with_code(uint8_t *b, const uint8_t *code, size_t n) {
  size_t len = 120 + n;
  memset(b, 0, len);
  memcpy(b, "\177ELF\2\1\1", 7);
  uint16_t h16[] = {2, 62};
  memcpy(b + 16, h16, 4);
  uint32_t one = 1;
  memcpy(b + 20, &one, 4);
  uint64_t entry = 0x400000 + 120, phoff = 64;
  memcpy(b + 24, &entry, 8);
  memcpy(b + 32, &phoff, 8);
  uint16_t sizes[] = {64, 56, 1};
  memcpy(b + 52, sizes, 6);
  uint32_t ph32[] = {1, 5};
  uint64_t ph64[] = {0, 0x400000, 0x400000, len, len, 0x1000};
  memcpy(b + 64, ph32, 8);
  memcpy(b + 72, ph64, sizeof(ph64));
  memcpy(b + 120, code, n);
  return len;
}

static int spawn_code(const uint8_t *code, size_t n) {
  uint8_t b[512];
  size_t len = elf_with_code(b, code, n);
  xos_init();
  char *argv[] = {"t", NULL}, *envp[] = {NULL};
  return kernel_spawn(b, len, argv, envp, "/t");
}

// exit(rax) tail: mov edi, eax; mov eax, 60; syscall
#define EXIT_RAX 0x89, 0xc7, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05

TEST(kernel_read_blocks_until_input) {
  // read(0, rsp - 64, 16); exit(result)
  static const uint8_t code[] = {0xbf, 0, 0, 0, 0, 0x48, 0x8d, 0x74, 0x24, 0xc0, 0xba, 0x10, 0, 0, 0,
                                 0x31, 0xc0, 0x0f, 0x05, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_IDLE);
  ASSERT_EQ(kernel_run(100000, 0), XOS_IDLE); // still nothing to read
  console_stdin_push("abc", 3);
  kernel_wake_all();
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), 3 << 8);
  xos_init();
}

TEST(kernel_read_eof) {
  static const uint8_t code[] = {0xbf, 0, 0, 0, 0, 0x48, 0x8d, 0x74, 0x24, 0xc0, 0xba, 0x10, 0, 0, 0,
                                 0x31, 0xc0, 0x0f, 0x05, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_IDLE);
  xos_stdin_close();
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), 0);
  xos_init();
}

TEST(kernel_unknown_syscall_enosys) {
  // mov eax, 999; syscall; neg eax; exit(rax)
  static const uint8_t code[] = {0xb8, 0xe7, 0x03, 0, 0, 0x0f, 0x05, 0xf7, 0xd8, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_ENOSYS << 8);
  xos_init();
}

TEST(kernel_bad_pointer_efault) {
  // write(1, 0x10, 4); neg eax; exit(rax)
  static const uint8_t code[] = {0xbf, 1, 0, 0, 0, 0xbe, 0x10, 0, 0, 0, 0xba, 4, 0, 0, 0,
                                 0xb8, 1, 0, 0, 0, 0x0f, 0x05, 0xf7, 0xd8, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_EFAULT << 8);
  xos_init();
}

TEST(kernel_faults_kill) {
  static const uint8_t segv[] = {0x89, 0x04, 0x25, 0, 0, 0, 0}; // mov [0], eax
  ASSERT(spawn_code(segv, sizeof(segv)) > 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_SIGSEGV);
  static const uint8_t ud[] = {0x0f, 0x0b}; // ud2
  ASSERT(spawn_code(ud, sizeof(ud)) > 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_SIGILL);
  static const uint8_t de[] = {0x31, 0xc9, 0xf7, 0xf1}; // xor ecx, ecx; div ecx
  ASSERT(spawn_code(de, sizeof(de)) > 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_SIGFPE);
  xos_init();
}

TEST(kernel_step_and_breakpoint) {
  // nop; nop; nop; exit(0)
  static const uint8_t code[] = {0x90, 0x90, 0x90, 0x31, 0xc0, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  ASSERT_EQ(xos_step(), XOS_STOPPED);
  ASSERT_EQ(xos_reg(XREG_RIP), 0x400000 + 121);
  ASSERT_EQ(xos_break_set(0x400000 + 123), 0);
  ASSERT_EQ(xos_run(1000), XOS_STOPPED);
  ASSERT_EQ(xos_reg(XREG_RIP), 0x400000 + 123);
  ASSERT_EQ(xos_run(1000), XOS_EXITED); // resumes past the breakpoint
  ASSERT_EQ(xos_break_clear(0x400000 + 123), 0);
  ASSERT_EQ(xos_exit_status(), 0);
  xos_init();
}

// execve("/b", NULL, NULL) from a tiny guest; /b exits 9.
TEST(kernel_execve) {
  static const uint8_t a[] = {0x48, 0x8d, 0x3d, 0x16, 0, 0, 0, 0x31, 0xf6, 0x31, 0xd2, 0xb8, 0x3b, 0, 0, 0,
                              0x0f, 0x05, 0xf7, 0xd8, EXIT_RAX, '/', 'b', 0};
  static const uint8_t b[] = {0xbf, 9, 0, 0, 0, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05};
  uint8_t elf[512];
  size_t len = elf_with_code(elf, b, sizeof(b));
  ASSERT(spawn_code(a, sizeof(a)) > 0); // xos_init inside: a fresh tmpfs root
  const char *rel;
  struct mount *root = vfs_find_mount("/", &rel);
  ASSERT_EQ(tmpfs_write_file(root, "b", elf, len, 0755), 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), 9 << 8);
  // Not executable: EACCES comes back to the caller.
  ASSERT(spawn_code(a, sizeof(a)) > 0);
  root = vfs_find_mount("/", &rel);
  ASSERT_EQ(tmpfs_write_file(root, "b", elf, len, 0644), 0);
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_EACCES << 8);
  xos_init();
}

// Issue 3: processes. Every process forks until fork fails: the process
// limit ends the bomb with EAGAIN, and the first process exits with it.
TEST(kernel_fork_bomb_eagain) {
  static const uint8_t code[] = {0xb8, 0x39, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x85, 0xc0, 0x79, 0xf5, 0xf7, 0xd8,
                                 EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  ASSERT_EQ(kernel_run(INT64_MAX / 2, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_EAGAIN << 8);
  ASSERT(kern.nprocs <= KERNEL_MAX_TASKS);
  xos_init();
}

// mmap 1 MiB and touch it, again and again: under a page limit mmap gives
// ENOMEM before a page cannot be backed.
TEST(kernel_alloc_bomb_enomem) {
  static const uint8_t code[] = {
    0x31, 0xff, 0xbe, 0x00, 0x00, 0x10, 0x00, 0xba, 0x03, 0x00, 0x00, 0x00, 0x41, 0xba, 0x22, 0x00, 0x00, 0x00,
    0x49, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff, 0x45, 0x31, 0xc9, 0xb8, 0x09, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x48,
    0x85, 0xc0, 0x78, 0x14, 0xb9, 0x00, 0x01, 0x00, 0x00, 0xc6, 0x00, 0x01, 0x48, 0x05, 0x00, 0x10, 0x00, 0x00,
    0xff, 0xc9, 0x75, 0xf3, 0xeb, 0xc4, 0xf7, 0xd8, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  xos_set_page_limit(pages_in_use + 2000);
  ASSERT_EQ(kernel_run(INT64_MAX / 2, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_ENOMEM << 8);
  xos_set_page_limit(0);
  xos_init();
}

// pipe, fork; the child writes 'x' and exits 7; the parent reads it, waits
// and exits with 7 + 'x'.
static const uint8_t pipewait_code[] = {
  0x48, 0x8d, 0x7c, 0x24, 0xf0, 0xb8, 0x16, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xb8, 0x39, 0x00, 0x00, 0x00, 0x0f,
  0x05, 0x85, 0xc0, 0x75, 0x26, 0x8b, 0x7c, 0x24, 0xf4, 0xc6, 0x44, 0x24, 0xd0, 0x78, 0x48, 0x8d, 0x74, 0x24,
  0xd0, 0xba, 0x01, 0x00, 0x00, 0x00, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xbf, 0x07, 0x00, 0x00, 0x00,
  0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x8b, 0x7c, 0x24, 0xf0, 0x48, 0x8d, 0x74, 0x24, 0xe0, 0xba, 0x01,
  0x00, 0x00, 0x00, 0x31, 0xc0, 0x0f, 0x05, 0xbf, 0xff, 0xff, 0xff, 0xff, 0x48, 0x8d, 0x74, 0x24, 0xd8, 0x31,
  0xd2, 0x45, 0x31, 0xd2, 0xb8, 0x3d, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x8b, 0x44, 0x24, 0xd8, 0xc1, 0xe8, 0x08,
  0x0f, 0xb6, 0x4c, 0x24, 0xe0, 0x01, 0xc8, EXIT_RAX};

TEST(kernel_pipe_fork_wait) {
  ASSERT(spawn_code(pipewait_code, sizeof(pipewait_code)) > 0);
  ASSERT_EQ(kernel_run(INT64_MAX / 2, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), (7 + 'x') << 8);
  ASSERT_EQ(kern.nprocs, 1); // the child was reaped and freed
  xos_init();
}

// pipe, then read from it while holding the write end: a deadlock. The run
// returns XOS_IDLE at once instead of spinning through its budget.
TEST(kernel_deadlock_idle) {
  static const uint8_t code[] = {0x48, 0x8d, 0x7c, 0x24, 0xf0, 0xb8, 0x16, 0x00, 0x00, 0x00, 0x0f, 0x05,
                                 0x8b, 0x7c, 0x24, 0xf0, 0x48, 0x8d, 0x74, 0x24, 0xe0, 0xba, 0x01, 0x00,
                                 0x00, 0x00, 0x31, 0xc0, 0x0f, 0x05, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  ASSERT_EQ(kernel_run(INT64_MAX / 2, 0), XOS_IDLE);
  ASSERT(xos_icount() < 100);
  ASSERT_EQ(kernel_run(INT64_MAX / 2, 0), XOS_IDLE);
  xos_init();
}

// A tty's ^C is not read: it sends SIGINT to the foreground process group.
TEST(kernel_tty_ctrl_c_sigint) {
  static const uint8_t code[] = {0xbf, 0, 0, 0, 0, 0x48, 0x8d, 0x74, 0x24, 0xc0, 0xba, 0x10, 0, 0, 0,
                                 0x31, 0xc0, 0x0f, 0x05, EXIT_RAX};
  ASSERT(spawn_code(code, sizeof(code)) > 0);
  xos_set_tty(7);
  ASSERT_EQ(kernel_run(100000, 0), XOS_IDLE);
  console_stdin_push("\x03", 1);
  kernel_wake_all();
  ASSERT_EQ(kernel_run(100000, 0), XOS_EXITED);
  ASSERT_EQ(xos_exit_status(), LINUX_SIGINT);
  xos_init();
}
