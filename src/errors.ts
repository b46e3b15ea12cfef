// Every failure timerstack knows about, with a stable code and the exit status it maps to.
// Only cli/main.ts turns these into an exit; library users catch them by class or `code`.

// timerstack passes its command's status through, so its own statuses follow GNU timeout, env
// and nice and stay out of a command's way: 125 for a usage error and for its own failures.
export const EXIT = {
  ok: 0,
  failure: 125,
  usage: 125,
  timedOut: 124,
  cannotRun: 125,
  notExecutable: 126,
  notFound: 127,
  signalBase: 128,
} as const;

export class TimerstackError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

// Bad input from the user: one line on stderr and exit 125; nothing has been armed or run.
export class UsageError extends TimerstackError {
  constructor(message: string, code = 'EUSAGE') {
    super(code, message, EXIT.usage);
  }
}

// A system call refused: `code` is the errno name (EBADF, EINVAL, ECANCELED …).
export class SyscallError extends TimerstackError {
  readonly syscall: string;
  readonly errno: number;
  constructor(syscall: string, errnoName: string, errno: number, message: string) {
    super(errnoName, message, EXIT.failure);
    this.syscall = syscall;
    this.errno = errno;
  }
}

// The platform cannot give us timerfd at all (not Linux, no libc).
export class PlatformError extends TimerstackError {
  constructor(message: string) {
    super('EPLATFORM', message, EXIT.failure);
  }
}

// The exit statuses as the docs state them: --help renders this table, and a test checks that the
// README and the man page list the same statuses.
export const EXIT_STATUSES: ReadonlyArray<readonly [status: string, meaning: string]> = [
  ['0', 'done: the time came, or a limit (--count, --for, --until) was reached; also when the reader of standard output went away'],
  ['N', 'once and at with a COMMAND, and every with --fail-fast: the command\'s own status; every also ends with 126 or 127 when its first run cannot start (unless --keep-going)'],
  ['124', 'the command timed out (--timeout); 137 if it then needed SIGKILL'],
  ['125', 'timerstack itself failed, or a usage error (nothing was armed or run), or the command could not be started'],
  ['126', 'the command is not executable'],
  ['127', 'the command was not found'],
  ['128+N', 'stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT…), or the command was killed by it'],
];
