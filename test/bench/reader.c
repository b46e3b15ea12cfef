// The independent reader: stamps each line arriving on stdin with CLOCK_MONOTONIC at the moment
// read() returned it, keeps everything in memory, and at EOF prints "STAMP_NS<TAB>LINE" per line.
// Nothing is written while the contender runs, so the reader adds no I/O of its own to the run,
// except with READER_TAP=N: the first N stamps also go to fd 3 as they come (then fd 3 is
// closed), for the bench to place the C loop's grid against the contender's.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

#define MAX_LINE 512

int main(void) {
  size_t cap = 4096, n = 0;
  long long *stamps = malloc(cap * sizeof *stamps);
  char *lines = malloc(cap * MAX_LINE);
  size_t fill = 0;  // bytes of the current, unfinished line
  char cur[MAX_LINE];
  char buf[65536];
  if (!stamps || !lines) return 1;
  const char *tap_env = getenv("READER_TAP");
  long tap = tap_env ? atol(tap_env) : 0;
  for (;;) {
    ssize_t got = read(0, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      perror("reader: read");
      return 1;
    }
    if (got == 0) break;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    for (ssize_t i = 0; i < got; i++) {
      char c = buf[i];
      if (c != '\n') {
        if (fill < MAX_LINE - 1) cur[fill++] = c;
        continue;
      }
      if (n == cap) {
        cap *= 2;
        stamps = realloc(stamps, cap * sizeof *stamps);
        lines = realloc(lines, cap * MAX_LINE);
        if (!stamps || !lines) return 1;
      }
      cur[fill] = '\0';
      stamps[n] = now;
      if (tap > 0) {
        char t[32];
        int len = snprintf(t, sizeof t, "%lld\n", now);
        if (write(3, t, len) != len) tap = 1;
        if (--tap == 0) close(3);
      }
      memcpy(lines + n * MAX_LINE, cur, fill + 1);
      n++;
      fill = 0;
    }
  }
  for (size_t i = 0; i < n; i++) printf("%lld\t%s\n", stamps[i], lines + i * MAX_LINE);
  return 0;
}
