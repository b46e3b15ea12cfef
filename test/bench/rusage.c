// Runs a command and writes what it cost to OUTFILE as one JSON object: exit status, user and
// system CPU (µs, from wait4's rusage: the command and every child it waited for), peak RSS
// (KiB) and wall time (ns).   rusage OUTFILE COMMAND [ARG...]
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rusage OUTFILE COMMAND [ARG...]\n");
    return 2;
  }
  long long t0 = now_ns();
  pid_t pid = fork();
  if (pid < 0) {
    perror("rusage: fork");
    return 1;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("rusage: exec");
    _exit(127);
  }
  int status;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      perror("rusage: wait4");
      return 1;
    }
  }
  long long wall = now_ns() - t0;
  FILE *out = fopen(argv[1], "w");
  if (!out) {
    perror("rusage: open");
    return 1;
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  fprintf(out, "{\"status\":%d,\"utime_us\":%lld,\"stime_us\":%lld,\"maxrss_kb\":%ld,\"wall_ns\":%lld}\n", code,
          (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
          (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec, ru.ru_maxrss, wall);
  fclose(out);
  return code;
}
