// SPDX-License-Identifier: MIT
// time, gettimeofday and clock_gettime: sanity only (monotonic never goes
// back, realtime after 2020, the three realtime sources agree). Values are
// never printed, so native and xos print the same text.
#include <stdio.h>
#include <time.h>
#include <sys/time.h>

int main(void) {
  struct timespec m0, m1, r, c;
  struct timeval tv;
  int ok = clock_gettime(CLOCK_MONOTONIC, &m0) == 0;
  printf("monotonic ok %d\n", ok);
  volatile unsigned long spin = 0;
  for (int i = 0; i < 100000; i++) spin += i;
  clock_gettime(CLOCK_MONOTONIC, &m1);
  printf("monotonic forward %d\n", m1.tv_sec > m0.tv_sec || (m1.tv_sec == m0.tv_sec && m1.tv_nsec >= m0.tv_nsec));
  printf("nsec in range %d\n", m1.tv_nsec >= 0 && m1.tv_nsec < 1000000000);
  printf("realtime ok %d\n", clock_gettime(CLOCK_REALTIME, &r) == 0);
  time_t t = time(NULL);
  gettimeofday(&tv, NULL);
  printf("after 2020 %d\n", r.tv_sec > 1577836800);
  printf("sources agree %d\n", (t - r.tv_sec) < 5 && (t - r.tv_sec) > -5 && (tv.tv_sec - r.tv_sec) < 5 &&
                                   (tv.tv_sec - r.tv_sec) > -5);
  printf("usec in range %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  printf("cputime ok %d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c) == 0);
  struct timespec req = {0, 1000000};
  printf("nanosleep %d\n", nanosleep(&req, NULL));
  struct tm tm;
  time_t fixed = 1700000000;
  gmtime_r(&fixed, &tm);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  printf("gmtime %s wday %d yday %d\n", buf, tm.tm_wday, tm.tm_yday);
  return 0;
}
