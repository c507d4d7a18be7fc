// SPDX-License-Identifier: MIT
// The engine's own snprintf (see fmt.h for why). Owns no state.
#include "fmt.h"

#include <stdint.h>

struct fmt_out {
  char *buf;
  size_t n, len;
};

static void out_char(struct fmt_out *o, char c) {
  if (o->len + 1 < o->n) o->buf[o->len] = c;
  o->len++;
}

static void out_pad(struct fmt_out *o, char c, int count) {
  while (count-- > 0) out_char(o, c);
}

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) {
  struct fmt_out o = {buf, n, 0};
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      out_char(&o, *p);
      continue;
    }
    p++;
    int left = 0, zero = 0, alt = 0, width = 0, prec = -1, lng = 0;
    for (;; p++) {
      if (*p == '-') left = 1;
      else if (*p == '0') zero = 1;
      else if (*p == '#') alt = 1;
      else break;
    }
    if (*p == '*') {
      width = va_arg(ap, int);
      if (width < 0) {
        left = 1;
        width = -width;
      }
      p++;
    } else {
      while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    }
    if (*p == '.') {
      p++;
      prec = 0;
      if (*p == '*') {
        prec = va_arg(ap, int);
        p++;
      } else {
        while (*p >= '0' && *p <= '9') prec = prec * 10 + (*p++ - '0');
      }
    }
    for (;; p++) {
      if (*p == 'l') lng++;
      else if (*p == 'z') lng = 3;
      else if (*p == 'h') continue; // promoted to int anyway; truncated below by the cast the caller made
      else break;
    }
    char tmp[72];
    int tl = 0, neg = 0;
    const char *prefix = "";
    uint64_t v = 0;
    switch (*p) {
    case 'd':
    case 'i': {
      int64_t s = lng == 3 ? (int64_t)va_arg(ap, size_t) : lng == 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
      neg = s < 0;
      v = neg ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
      goto number;
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o':
    case 'p':
      if (*p == 'p') v = (uint64_t)(uintptr_t)va_arg(ap, void *), alt = 1;
      else v = lng == 3 ? va_arg(ap, size_t) : lng == 2 ? va_arg(ap, unsigned long long) : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
    number: {
      unsigned base = (*p == 'x' || *p == 'X' || *p == 'p') ? 16 : *p == 'o' ? 8 : 10;
      const char *digits = *p == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      do {
        tmp[tl++] = digits[v % base];
        v /= base;
      } while (v);
      if (alt && base == 16 && !(tl == 1 && tmp[0] == '0')) prefix = *p == 'X' ? "0X" : "0x";
      if (alt && base == 8 && tmp[tl - 1] != '0') tmp[tl++] = '0';
      while (tl < prec && tl < (int)sizeof(tmp)) tmp[tl++] = '0';
      int plen = (neg ? 1 : 0) + (prefix[0] ? 2 : 0);
      int pad = width - tl - plen;
      if (!left && !(zero && prec < 0)) out_pad(&o, ' ', pad);
      if (neg) out_char(&o, '-');
      for (const char *q = prefix; *q; q++) out_char(&o, *q);
      if (!left && zero && prec < 0) out_pad(&o, '0', pad);
      while (tl) out_char(&o, tmp[--tl]);
      if (left) out_pad(&o, ' ', pad);
      break;
    }
    case 'c': {
      char c = (char)va_arg(ap, int);
      if (!left) out_pad(&o, ' ', width - 1);
      out_char(&o, c);
      if (left) out_pad(&o, ' ', width - 1);
      break;
    }
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (!s) s = "(null)";
      int sl = 0;
      while (s[sl] && (prec < 0 || sl < prec)) sl++;
      if (!left) out_pad(&o, ' ', width - sl);
      for (int i = 0; i < sl; i++) out_char(&o, s[i]);
      if (left) out_pad(&o, ' ', width - sl);
      break;
    }
    case '%':
      out_char(&o, '%');
      break;
    case 0:
      p--;
      break;
    default:
      out_char(&o, '%');
      out_char(&o, *p);
      break;
    }
  }
  if (n) buf[o.len < n ? o.len : n - 1] = 0;
  return (int)o.len;
}

int fmt_snprintf(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = fmt_vsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}
