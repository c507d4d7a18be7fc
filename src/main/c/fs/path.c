// SPDX-License-Identifier: MIT
// Path resolution (path_resolution(7)): turns a guest path and a starting
// directory into a canonical absolute guest path, following symlinks in the
// guest namespace (an absolute link target restarts at the guest root, never
// the host's). Owns no state; asks the VFS only for lstat and readlink.
#include <string.h>

#include "vfs.h"

// Removes the last component of a canonical path ("/a/b" -> "/a", "/a" -> "/").
static void pop_component(char *out, size_t *len) {
  while (*len > 1 && out[*len - 1] != '/') (*len)--;
  if (*len > 1) (*len)--;
  out[*len] = 0;
}

int path_resolve(const char *base, const char *path, int follow_last, char *out) {
  // rest holds the components still to walk; a symlink's target is spliced
  // in front of what remains. Two buffers so splicing never overlaps.
  char rest[LINUX_PATH_MAX * 2], tmp[LINUX_PATH_MAX * 2];
  char link[LINUX_PATH_MAX];
  size_t plen = strlen(path);
  if (plen == 0) return -LINUX_ENOENT;
  if (plen >= LINUX_PATH_MAX) return -LINUX_ENAMETOOLONG;
  // A trailing slash means the object must be a directory, so follow it.
  int must_dir = path[plen - 1] == '/';
  if (must_dir) follow_last = 1;
  memcpy(rest, path, plen + 1);
  size_t len;
  if (path[0] == '/') {
    strcpy(out, "/");
    len = 1;
  } else {
    len = strlen(base);
    if (len >= LINUX_PATH_MAX) return -LINUX_ENAMETOOLONG;
    memcpy(out, base, len + 1);
  }
  int links = 0;
  size_t pos = 0;
  for (;;) {
    while (rest[pos] == '/') pos++;
    if (!rest[pos]) break;
    size_t start = pos;
    while (rest[pos] && rest[pos] != '/') pos++;
    size_t clen = pos - start;
    size_t after = pos;
    while (rest[after] == '/') after++;
    int last = rest[after] == 0;
    if (clen > LINUX_NAME_MAX) return -LINUX_ENAMETOOLONG;
    if (clen == 1 && rest[start] == '.') continue;
    if (clen == 2 && rest[start] == '.' && rest[start + 1] == '.') {
      pop_component(out, &len);
      continue;
    }
    size_t saved = len;
    if (len + (len > 1) + clen >= LINUX_PATH_MAX) return -LINUX_ENAMETOOLONG;
    if (len > 1) out[len++] = '/';
    memcpy(out + len, rest + start, clen);
    len += clen;
    out[len] = 0;
    if (last && !follow_last) break;
    struct stat_linux st;
    int rc = vfs_lstat(out, &st);
    if (rc == -LINUX_ENOENT && last) break; // may be created by the caller
    if (rc) return rc;
    if (LINUX_S_ISLNK(st.st_mode)) {
      if (++links > LINUX_MAXSYMLINKS) return -LINUX_ELOOP;
      int n = vfs_readlink(out, link, sizeof(link) - 1);
      if (n < 0) return n;
      if (n == 0) return -LINUX_ENOENT;
      link[n] = 0;
      size_t rlen = strlen(rest + pos);
      if ((size_t)n + 1 + rlen >= sizeof(tmp)) return -LINUX_ENAMETOOLONG;
      memcpy(tmp, link, (size_t)n);
      tmp[n] = '/';
      memcpy(tmp + n + 1, rest + pos, rlen + 1);
      memcpy(rest, tmp, (size_t)n + 1 + rlen + 1);
      pos = 0;
      if (link[0] == '/') {
        strcpy(out, "/");
        len = 1;
      } else {
        len = saved;
        out[len] = 0;
      }
      continue;
    }
    if (!LINUX_S_ISDIR(st.st_mode) && (!last || must_dir)) return -LINUX_ENOTDIR;
    if (last) break;
  }
  return 0;
}

int path_dirname(const char *abs, char *out) {
  size_t len = strlen(abs);
  if (len >= LINUX_PATH_MAX) return -LINUX_ENAMETOOLONG;
  memcpy(out, abs, len + 1);
  pop_component(out, &len);
  return 0;
}

int path_normalize(const char *in, char *out) {
  if (in[0] != '/') return -LINUX_EINVAL;
  size_t len = 1;
  strcpy(out, "/");
  const char *p = in;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *s = p;
    while (*p && *p != '/') p++;
    size_t clen = (size_t)(p - s);
    if (clen > LINUX_NAME_MAX) return -LINUX_ENAMETOOLONG;
    if (clen == 1 && s[0] == '.') continue;
    if (clen == 2 && s[0] == '.' && s[1] == '.') {
      pop_component(out, &len);
      continue;
    }
    if (len + 1 + clen >= LINUX_PATH_MAX) return -LINUX_ENAMETOOLONG;
    if (len > 1) out[len++] = '/';
    memcpy(out + len, s, clen);
    len += clen;
    out[len] = 0;
  }
  return 0;
}
