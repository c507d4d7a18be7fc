// SPDX-License-Identifier: MIT
// VFS tests: tmpfs operations, path resolution (symlinks in the guest
// namespace, ELOOP, ENOTDIR, ENAMETOOLONG, trailing slashes) and a hostfs
// mount of a scratch host directory whose symlinks try to escape.
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/vfs.h"
#include "host/host.h"
#include "native/native.h"
#include "test.h"

static struct mount *fresh_root(void) {
  vfs_reset();
  struct mount *m = vfs_mount("/", &tmpfs_ops, 0, 0, tmpfs_new());
  vfs_mount("/dev", &devfs_ops, 0, 0, NULL);
  tmpfs_mkdir_p(m, "dev", 0755);
  return m;
}

static int create(const char *path, const char *text) {
  struct file *f;
  int rc = vfs_open(path, LINUX_O_WRONLY | LINUX_O_CREAT | LINUX_O_TRUNC, 0644, &f);
  if (rc) return rc;
  long n = file_write(f, text, strlen(text));
  file_put(f);
  return n < 0 ? (int)n : 0;
}

static int slurp(const char *path, char *buf, size_t n) {
  struct file *f;
  int rc = vfs_open(path, LINUX_O_RDONLY, 0, &f);
  if (rc) return rc;
  long k = file_read(f, buf, n - 1);
  file_put(f);
  if (k < 0) return (int)k;
  buf[k] = 0;
  return 0;
}

TEST(vfs_tmpfs_files) {
  fresh_root();
  char buf[64];
  ASSERT_EQ(vfs_mkdir("/a", 0755), 0);
  ASSERT_EQ(vfs_mkdir("/a", 0755), -LINUX_EEXIST);
  ASSERT_EQ(create("/a/f", "hello"), 0);
  ASSERT_EQ(slurp("/a/f", buf, sizeof(buf)), 0);
  ASSERT_STR(buf, "hello");
  ASSERT_EQ(vfs_rmdir("/a"), -LINUX_ENOTEMPTY);
  ASSERT_EQ(vfs_unlink("/a"), -LINUX_EISDIR);
  ASSERT_EQ(vfs_rename("/a/f", "/g", 0), 0);
  ASSERT_EQ(slurp("/a/f", buf, sizeof(buf)), -LINUX_ENOENT);
  ASSERT_EQ(slurp("/g", buf, sizeof(buf)), 0);
  ASSERT_STR(buf, "hello");
  ASSERT_EQ(vfs_rename("/a", "/a/b", 0), -LINUX_EINVAL);
  ASSERT_EQ(vfs_rmdir("/a"), 0);
  ASSERT_EQ(vfs_unlink("/g"), 0);
  struct file *f;
  ASSERT_EQ(vfs_open("/g", LINUX_O_RDONLY, 0, &f), -LINUX_ENOENT);
  ASSERT_EQ(vfs_open("/", LINUX_O_WRONLY, 0, &f), -LINUX_EISDIR);
  ASSERT_EQ(vfs_open("/dev", LINUX_O_RDONLY | LINUX_O_DIRECTORY, 0, &f), 0);
  file_put(f);
}

TEST(vfs_open_flags) {
  fresh_root();
  struct file *f;
  ASSERT_EQ(create("/x", "abc"), 0);
  ASSERT_EQ(vfs_open("/x", LINUX_O_CREAT | LINUX_O_EXCL | LINUX_O_WRONLY, 0644, &f), -LINUX_EEXIST);
  ASSERT_EQ(vfs_open("/x", LINUX_O_RDONLY | LINUX_O_DIRECTORY, 0, &f), -LINUX_ENOTDIR);
  ASSERT_EQ(vfs_open("/x", LINUX_O_RDWR | LINUX_O_APPEND, 0, &f), 0);
  ASSERT_EQ(file_write(f, "de", 2), 2);
  file_put(f);
  char buf[16];
  ASSERT_EQ(slurp("/x", buf, sizeof(buf)), 0);
  ASSERT_STR(buf, "abcde");
  ASSERT_EQ(vfs_open("/x", LINUX_O_WRONLY | LINUX_O_TRUNC, 0, &f), 0);
  file_put(f);
  ASSERT_EQ(slurp("/x", buf, sizeof(buf)), 0);
  ASSERT_STR(buf, "");
}

TEST(vfs_path_resolution) {
  fresh_root();
  char out[LINUX_PATH_MAX];
  ASSERT_EQ(vfs_mkdir("/d", 0755), 0);
  ASSERT_EQ(vfs_mkdir("/d/e", 0755), 0);
  ASSERT_EQ(create("/d/e/f", "x"), 0);
  ASSERT_EQ(path_resolve("/", "d/./e/../e//f", 1, out), 0);
  ASSERT_STR(out, "/d/e/f");
  ASSERT_EQ(path_resolve("/d/e", "../../..", 1, out), 0);
  ASSERT_STR(out, "/");
  ASSERT_EQ(path_resolve("/", "d/e/f/g", 1, out), -LINUX_ENOTDIR);
  ASSERT_EQ(path_resolve("/", "d/e/f/", 1, out), -LINUX_ENOTDIR);
  ASSERT_EQ(path_resolve("/", "d/nope/f", 1, out), -LINUX_ENOENT);
  ASSERT_EQ(path_resolve("/", "d/new", 1, out), 0); // a name to create
  ASSERT_STR(out, "/d/new");
  ASSERT_EQ(path_resolve("/", "", 1, out), -LINUX_ENOENT);
  // Symlinks: relative, absolute (stay in the guest root), chains, loops.
  ASSERT_EQ(vfs_symlink("e/f", "/d/rel"), 0);
  ASSERT_EQ(vfs_symlink("/d/e", "/abs"), 0);
  ASSERT_EQ(vfs_symlink("../../../../../d", "/up"), 0);
  ASSERT_EQ(path_resolve("/", "/d/rel", 1, out), 0);
  ASSERT_STR(out, "/d/e/f");
  ASSERT_EQ(path_resolve("/", "/d/rel", 0, out), 0);
  ASSERT_STR(out, "/d/rel");
  ASSERT_EQ(path_resolve("/", "/abs/f", 1, out), 0);
  ASSERT_STR(out, "/d/e/f");
  ASSERT_EQ(path_resolve("/", "/up/e/f", 1, out), 0);
  ASSERT_STR(out, "/d/e/f");
  ASSERT_EQ(path_resolve("/", "/abs/..", 1, out), 0); // ".." after a link is the target's parent
  ASSERT_STR(out, "/d");
  ASSERT_EQ(vfs_symlink("loop2", "/loop1"), 0);
  ASSERT_EQ(vfs_symlink("loop1", "/loop2"), 0);
  ASSERT_EQ(path_resolve("/", "/loop1", 1, out), -LINUX_ELOOP);
  ASSERT_EQ(path_resolve("/", "/loop1", 0, out), 0);
  ASSERT_EQ(vfs_symlink("dangling", "/dl"), 0);
  ASSERT_EQ(path_resolve("/", "/dl", 1, out), 0); // O_CREAT through a dangling link creates the target
  ASSERT_STR(out, "/dangling");
  // A chain of exactly 40 links resolves; 41 is ELOOP (path_resolution(7)).
  char name[32], target[32];
  for (int i = 0; i < 41; i++) {
    snprintf(name, sizeof(name), "/c%d", i);
    snprintf(target, sizeof(target), i == 40 ? "/d" : "/c%d", i + 1);
    ASSERT_EQ(vfs_symlink(target, name), 0);
  }
  ASSERT_EQ(path_resolve("/", "/c1", 1, out), 0);
  ASSERT_STR(out, "/d");
  ASSERT_EQ(path_resolve("/", "/c0", 1, out), -LINUX_ELOOP);
  char longname[300];
  memset(longname, 'n', 256);
  longname[256] = 0;
  ASSERT_EQ(path_resolve("/", longname, 1, out), -LINUX_ENAMETOOLONG);
  char *huge = malloc(5000);
  memset(huge, 'a', 4999);
  for (int i = 100; i < 4999; i += 100) huge[i] = '/';
  huge[4999] = 0;
  ASSERT_EQ(path_resolve("/", huge, 1, out), -LINUX_ENAMETOOLONG);
  free(huge);
}

TEST(vfs_devfs) {
  fresh_root();
  struct file *f;
  char buf[8] = "xxxxxxx";
  ASSERT_EQ(vfs_open("/dev/zero", LINUX_O_RDONLY, 0, &f), 0);
  ASSERT_EQ(file_read(f, buf, 4), 4);
  ASSERT_EQ(buf[0] | buf[3], 0);
  file_put(f);
  ASSERT_EQ(vfs_open("/dev/null", LINUX_O_RDWR, 0, &f), 0);
  ASSERT_EQ(file_read(f, buf, 4), 0);
  ASSERT_EQ(file_write(f, buf, 4), 4);
  file_put(f);
  ASSERT_EQ(vfs_open("/dev/full", LINUX_O_WRONLY, 0, &f), 0);
  ASSERT_EQ(file_write(f, buf, 4), -LINUX_ENOSPC);
  file_put(f);
  struct stat_linux st;
  ASSERT_EQ(vfs_lstat("/dev/null", &st), 0);
  ASSERT_EQ(st.st_mode, LINUX_S_IFCHR | 0666);
  ASSERT_EQ(st.st_rdev, 0x103);
  ASSERT_EQ(vfs_lstat("/dev/nope", &st), -LINUX_ENOENT);
}

// A host directory mounted at /h: files pass through; a symlink to "/" and
// one of many ".." stay inside the guest's tree.
TEST(vfs_hostfs) {
  fresh_root();
  char dir[] = "/tmp/xos-test-XXXXXX";
  ASSERT(mkdtemp(dir));
  char p[256];
  snprintf(p, sizeof(p), "%s/sub", dir);
  ASSERT_EQ(mkdir(p, 0755), 0);
  snprintf(p, sizeof(p), "%s/sub/file", dir);
  FILE *hf = fopen(p, "w");
  ASSERT(hf);
  fputs("host bytes", hf);
  fclose(hf);
  snprintf(p, sizeof(p), "%s/root", dir);
  ASSERT_EQ(symlink("/", p), 0);
  snprintf(p, sizeof(p), "%s/esc", dir);
  ASSERT_EQ(symlink("../../../../../../../../etc", p), 0);
  int id = native_mount_add(dir);
  ASSERT(id >= 0);
  struct mount *root = vfs_find_mount("/", NULL);
  tmpfs_mkdir_p(root, "h", 0755);
  ASSERT(vfs_mount("/h", &hostfs_ops, id, 0, NULL));
  char buf[64], out[LINUX_PATH_MAX];
  ASSERT_EQ(slurp("/h/sub/file", buf, sizeof(buf)), 0);
  ASSERT_STR(buf, "host bytes");
  ASSERT_EQ(path_resolve("/", "/h/root/h/sub", 1, out), 0);
  ASSERT_STR(out, "/h/sub");
  ASSERT_EQ(path_resolve("/", "/h/esc/passwd", 1, out), -LINUX_ENOENT); // the guest has no /etc
  ASSERT_EQ(create("/h/sub/new", "guest"), 0);
  snprintf(p, sizeof(p), "%s/sub/new", dir);
  hf = fopen(p, "r");
  ASSERT(hf);
  ASSERT(fgets(buf, sizeof(buf), hf));
  fclose(hf);
  ASSERT_STR(buf, "guest");
  ASSERT_EQ(vfs_rename("/h/sub/new", "/h/moved", 0), 0);
  ASSERT_EQ(vfs_rename("/h/moved", "/outside", 0), -LINUX_EXDEV);
  ASSERT_EQ(vfs_unlink("/h/moved"), 0);
  struct file *f;
  ASSERT_EQ(vfs_open("/h/sub", LINUX_O_RDONLY | LINUX_O_DIRECTORY, 0, &f), 0);
  struct vfs_dirent de;
  ASSERT_EQ(f->ops->readdir(f, 0, &de), 1);
  ASSERT_STR(de.name, "file");
  ASSERT_EQ(de.type, LINUX_DT_REG);
  ASSERT_EQ(f->ops->readdir(f, 1, &de), 0);
  file_put(f);
  // The host side refuses escapes even if the engine asked for one.
  ASSERT_EQ(host_file_open(id, "../x", 4, LINUX_O_RDONLY, 0), -LINUX_EPERM);
  ASSERT_EQ(host_file_open(id, "/etc/passwd", 11, LINUX_O_RDONLY, 0), -LINUX_EPERM);
  ASSERT(host_file_open(id, "root/etc/passwd", 15, LINUX_O_RDONLY, 0) < 0);
  snprintf(p, sizeof(p), "rm -rf %s", dir);
  ASSERT_EQ(system(p), 0);
}

// Reads a directory listing the way getdents64 walks positions, unlinking
// each entry as it is returned (what rm -r does). Returns entries seen.
static int list_and_delete(const char *dir) {
  struct file *f;
  if (vfs_open(dir, LINUX_O_RDONLY | LINUX_O_DIRECTORY, 0, &f)) return -1;
  int seen = 0, pos = 0;
  struct vfs_dirent de;
  for (;;) {
    de.next = 0;
    int r = f->ops->readdir(f, pos, &de);
    if (r <= 0) break;
    pos = de.next > pos ? de.next : pos + 1;
    char p[LINUX_PATH_MAX];
    snprintf(p, sizeof(p), "%s/%s", dir, de.name);
    if (vfs_unlink(p) == 0) seen++;
  }
  file_put(f);
  return seen;
}

TEST(vfs_delete_while_listing) {
  struct mount *root = fresh_root();
  char p[64];
  ASSERT_EQ(vfs_mkdir("/many", 0755), 0);
  for (int i = 0; i < 100; i++) {
    snprintf(p, sizeof(p), "/many/f%d", i);
    ASSERT_EQ(create(p, "x"), 0);
  }
  ASSERT_EQ(list_and_delete("/many"), 100);
  ASSERT_EQ(vfs_rmdir("/many"), 0);
  // The same through a host directory.
  char dir[] = "/tmp/xos-test-XXXXXX";
  ASSERT(mkdtemp(dir));
  for (int i = 0; i < 700; i++) { // more than one host batch of records
    snprintf(p, sizeof(p), "%s/name-of-file-%d", dir, i);
    FILE *hf = fopen(p, "w");
    ASSERT(hf);
    fclose(hf);
  }
  int id = native_mount_add(dir);
  ASSERT(id >= 0);
  tmpfs_mkdir_p(root, "h2", 0755);
  ASSERT(vfs_mount("/h2", &hostfs_ops, id, 0, NULL));
  ASSERT_EQ(list_and_delete("/h2"), 700);
  ASSERT_EQ(rmdir(dir), 0);
}
