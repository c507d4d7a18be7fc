// SPDX-License-Identifier: MIT
// POSIX threads: create/join with return values, a mutex-protected
// counter, a producer/consumer queue on condition variables, thread-local
// storage, a barrier, semaphores, timed waits, and the thread ids.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 8
#define ITER 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value;

static void *adder(void *arg) {
  long id = (long)(intptr_t)arg;
  tls_value = (int)id * 10;
  for (int i = 0; i < ITER; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
    if (i % 1000 == 0) sched_yield();
  }
  return (void *)(intptr_t)(tls_value + 1);
}

#define QSIZE 4
static int queue[QSIZE], qhead, qlen;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg) {
  for (int i = 1; i <= 1000; i++) {
    pthread_mutex_lock(&qlock);
    while (qlen == QSIZE) pthread_cond_wait(&not_full, &qlock);
    queue[(qhead + qlen++) % QSIZE] = i;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&qlock);
  }
  return NULL;
}

static void *consumer(void *arg) {
  long sum = 0;
  for (int n = 0; n < 500; n++) {
    pthread_mutex_lock(&qlock);
    while (qlen == 0) pthread_cond_wait(&not_empty, &qlock);
    sum += queue[qhead];
    qhead = (qhead + 1) % QSIZE;
    qlen--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&qlock);
  }
  return (void *)(intptr_t)sum;
}

static pthread_barrier_t barrier;
static int arrived[4];
static void *barrier_worker(void *arg) {
  int id = (int)(intptr_t)arg;
  arrived[id] = 1;
  int serial = pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD;
  int all = arrived[0] + arrived[1] + arrived[2] + arrived[3];
  return (void *)(intptr_t)(all * 10 + serial);
}

static sem_t sem;
static void *poster(void *arg) {
  for (int i = 0; i < 5; i++) sem_post(&sem);
  return (void *)(intptr_t)syscall(SYS_gettid);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pthread_t th[NTHREADS];
  for (long i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, adder, (void *)(intptr_t)i);
  long retsum = 0;
  for (int i = 0; i < NTHREADS; i++) {
    void *r;
    pthread_join(th[i], &r);
    retsum += (long)(intptr_t)r;
  }
  printf("counter %ld (expect %d), return values %ld, main tls %d\n", counter, NTHREADS * ITER, retsum, tls_value);

  pthread_t p, c1, c2;
  pthread_create(&c1, NULL, consumer, NULL);
  pthread_create(&c2, NULL, consumer, NULL);
  pthread_create(&p, NULL, producer, NULL);
  void *s1, *s2;
  pthread_join(p, NULL);
  pthread_join(c1, &s1);
  pthread_join(c2, &s2);
  printf("queue sum %ld\n", (long)(intptr_t)s1 + (long)(intptr_t)s2);

  pthread_barrier_init(&barrier, NULL, 4);
  pthread_t b[4];
  for (long i = 0; i < 4; i++) pthread_create(&b[i], NULL, barrier_worker, (void *)(intptr_t)i);
  int serials = 0, alls = 0;
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(b[i], &r);
    serials += (int)(intptr_t)r % 10;
    alls += (int)(intptr_t)r / 10;
  }
  printf("barrier: serial threads %d, saw all arrived %d\n", serials, alls);

  sem_init(&sem, 0, 0);
  pthread_t ps;
  pthread_create(&ps, NULL, poster, NULL);
  for (int i = 0; i < 5; i++) sem_wait(&sem);
  void *tid;
  pthread_join(ps, &tid);
  printf("semaphore drained, poster tid differs %d\n", (pid_t)(intptr_t)tid != getpid());
  printf("main gettid == getpid %d\n", (pid_t)syscall(SYS_gettid) == getpid());

  // Timed waits time out on an unsignalled condition and a held lock.
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 20000000;
  if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
  pthread_mutex_lock(&qlock);
  int r = pthread_cond_timedwait(&not_empty, &qlock, &ts);
  pthread_mutex_unlock(&qlock);
  printf("cond_timedwait: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "other");
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 20000000;
  if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
  r = sem_timedwait(&sem, &ts);
  printf("sem_timedwait: %d %s\n", r, errno == ETIMEDOUT ? "ETIMEDOUT" : "other");

  // A detached thread and exit from main while it sleeps in a join-less state.
  pthread_t d;
  pthread_create(&d, NULL, poster, NULL);
  pthread_detach(d);
  for (int i = 0; i < 5; i++) sem_wait(&sem);
  printf("detached thread ran\n");
  return 0;
}
