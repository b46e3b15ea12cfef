// The floor: what a C program doing timerfd + epoll costs, for the same scenarios as timerstack.
//
//   cloop tick PERIOD_NS COUNT [FIRST_NS]
//       one periodic timerfd (absolute first deadline one period from now, or at FIRST_NS on
//       CLOCK_MONOTONIC: the bench places it between another contender's ticks; the kernel's
//       interval), epoll_wait(-1), read, one "tick N expirations K lateness_us L" line per
//       wake-up (L: the wake-up's lateness as seen inside), fflush.
//   cloop warm PERIOD_NS COUNT LEAD_NS
//       the same, with timerstack's warm-up wake: a second, absolute one-shot timerfd armed
//       LEAD_NS before each deadline; its wake-up formats a line on dummy data and drops it
//       (the limit a warm-up can reach on this machine).
//   cloop scale N BASE_NS STEP_NS TICKS
//       N timerfds, timer i with period BASE_NS + i*STEP_NS, first after one period, TICKS
//       expirations each; one NDJSON-like line per expiration (stdout fully buffered, flushed
//       once per wake-up). Prints on stderr: a JSON object with the arming time, the CPU time
//       spent after arming, the expirations handled and the wall time.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec to_ts(int64_t ns) {
  struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
  return ts;
}

static int64_t cpu_us(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

static int tick_mode(int64_t period, long count, int64_t first_at) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0 || ep < 0) die("cloop: create");
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("cloop: epoll_ctl");
  int64_t first = first_at ? first_at : now_ns(CLOCK_MONOTONIC) + period;
  struct itimerspec its = {.it_interval = to_ts(period), .it_value = to_ts(first)};
  if (timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) die("cloop: timerfd_settime");
  unsigned long long tick = 0;
  long wakeups = 0;
  int64_t cpu_first = 0;
  while ((long)tick < count) {
    struct epoll_event out[8];
    int n = epoll_wait(ep, out, 8, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("cloop: epoll_wait");
    }
    int64_t seen = now_ns(CLOCK_MONOTONIC);
    uint64_t exp;
    if (read(fd, &exp, 8) != 8) continue;
    tick += exp;
    if (wakeups++ == 0) cpu_first = cpu_us();
    // Lateness as seen inside, like timerstack's lateness_us: wake-up minus the latest deadline.
    double late_us = (double)(seen - (first + (int64_t)(tick - 1) * period)) / 1000.0;
    printf("tick %llu expirations %llu lateness_us %.3f\n", tick, (unsigned long long)exp, late_us);
    fflush(stdout);
  }
  // CPU between the first and the last wake-up (startup excluded), for a per-tick figure.
  fprintf(stderr, "{\"cpu_us\":%lld,\"wakeups\":%ld}\n", (long long)(cpu_us() - cpu_first), wakeups);
  return 0;
}

static int warm_mode(int64_t period, long count, int64_t lead) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  int wfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0 || wfd < 0 || ep < 0) die("cloop: create");
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("cloop: epoll_ctl");
  struct epoll_event wev = {.events = EPOLLIN, .data.fd = wfd};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, wfd, &wev) < 0) die("cloop: epoll_ctl");
  int64_t first = now_ns(CLOCK_MONOTONIC) + period;
  struct itimerspec its = {.it_interval = to_ts(period), .it_value = to_ts(first)};
  if (timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) die("cloop: timerfd_settime");
  struct itimerspec wits = {.it_interval = {0, 0}, .it_value = to_ts(first - lead)};
  timerfd_settime(wfd, TFD_TIMER_ABSTIME, &wits, NULL);
  unsigned long long tick = 0;
  long wakeups = 0;
  int64_t cpu_first = 0;
  char sink[256];
  volatile int sunk = 0;
  while ((long)tick < count) {
    struct epoll_event out[8];
    int n = epoll_wait(ep, out, 8, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("cloop: epoll_wait");
    }
    int64_t seen = now_ns(CLOCK_MONOTONIC);
    int real = 0;
    uint64_t exp;
    for (int i = 0; i < n; i++) {
      if (out[i].data.fd == wfd) {
        if (read(wfd, &exp, 8) != 8) continue;
      } else {
        real = 1;
      }
    }
    if (!real) {
      // The warm-up: the same steps on dummy data, the line dropped.
      double late_us = (double)(seen - first) / 1000.0;
      sunk += snprintf(sink, sizeof sink, "tick %llu expirations %llu lateness_us %.3f\n", tick + 1, 1ULL, late_us);
      continue;
    }
    if (read(fd, &exp, 8) != 8) continue;
    tick += exp;
    if (wakeups++ == 0) cpu_first = cpu_us();
    int64_t deadline = first + (int64_t)(tick - 1) * period;
    double late_us = (double)(seen - deadline) / 1000.0;
    printf("tick %llu expirations %llu lateness_us %.3f\n", tick, (unsigned long long)exp, late_us);
    fflush(stdout);
    wits.it_value = to_ts(deadline + period - lead);
    timerfd_settime(wfd, TFD_TIMER_ABSTIME, &wits, NULL);
  }
  fprintf(stderr, "{\"cpu_us\":%lld,\"wakeups\":%ld}\n", (long long)(cpu_us() - cpu_first), wakeups);
  return 0;
}

static int scale_mode(long n, int64_t base, int64_t step, long ticks) {
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("cloop: epoll_create1");
  long *left = calloc(n, sizeof *left);
  int *fds = calloc(n, sizeof *fds);
  static char out[1 << 16];
  setvbuf(stdout, out, _IOFBF, sizeof out);
  int64_t t0 = now_ns(CLOCK_MONOTONIC);
  int64_t start = t0;
  for (long i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (fd < 0) die("cloop: timerfd_create");
    int64_t period = base + i * step;
    struct itimerspec its = {.it_interval = to_ts(period), .it_value = to_ts(start + period)};
    if (timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) die("cloop: timerfd_settime");
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("cloop: epoll_ctl");
    fds[i] = fd;
    left[i] = ticks;
  }
  int64_t armed = now_ns(CLOCK_MONOTONIC) - t0;
  int64_t cpu0 = cpu_us();
  long remaining = n, handled = 0;
  long long expirations = 0;
  struct epoll_event evs[1024];
  while (remaining > 0) {
    int k = epoll_wait(ep, evs, 1024, -1);
    if (k < 0) {
      if (errno == EINTR) continue;
      die("cloop: epoll_wait");
    }
    for (int j = 0; j < k; j++) {
      long i = (long)evs[j].data.u64;
      uint64_t exp;
      if (read(fds[i], &exp, 8) != 8) continue;
      handled++;
      expirations += (long long)exp;
      left[i] -= (long)exp;
      printf("{\"event\":\"tick\",\"timer\":\"t%ld\",\"tick\":%ld,\"expirations\":%llu}\n", i, ticks - left[i], (unsigned long long)exp);
      if (left[i] <= 0) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
        close(fds[i]);
        remaining--;
      }
    }
    fflush(stdout);
  }
  int64_t cpu = cpu_us() - cpu0;
  fprintf(stderr, "{\"timers\":%ld,\"arm_ns\":%lld,\"cpu_us\":%lld,\"handled\":%ld,\"expirations\":%lld,\"wall_ns\":%lld}\n", n,
          (long long)armed, (long long)cpu, handled, expirations, (long long)(now_ns(CLOCK_MONOTONIC) - t0));
  return 0;
}

int main(int argc, char **argv) {
  if ((argc == 4 || argc == 5) && strcmp(argv[1], "tick") == 0) return tick_mode(atoll(argv[2]), atol(argv[3]), argc == 5 ? atoll(argv[4]) : 0);
  if (argc == 5 && strcmp(argv[1], "warm") == 0) return warm_mode(atoll(argv[2]), atol(argv[3]), atoll(argv[4]));
  if (argc == 6 && strcmp(argv[1], "scale") == 0) return scale_mode(atol(argv[2]), atoll(argv[3]), atoll(argv[4]), atol(argv[5]));
  fprintf(stderr, "usage: cloop tick PERIOD_NS COUNT [FIRST_NS] | cloop warm PERIOD_NS COUNT LEAD_NS | cloop scale N BASE_NS STEP_NS TICKS\n");
  return 2;
}
