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

/** Every error timerstack throws on purpose: a stable `code` to test, and the CLI's exit status for it. */
export class TimerstackError extends Error {
  /** A stable name for what failed (`EUSAGE`, `EINVAL`, an errno name …). */
  readonly code: string;
  /** The status the CLI exits with for it (125). */
  readonly exitCode: number;
  /** An error with `code` and `message`. */
  constructor(code: string, message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad input (a duration, an option, a closed timer): nothing was armed or run. */
export class UsageError extends TimerstackError {
  /** A usage error; `code` is EUSAGE unless given. */
  constructor(message: string, code = 'EUSAGE') {
    super(code, message, EXIT.usage);
  }
}

/** A system call refused: `code` is the errno name (EBADF, EINVAL, EAGAIN, ECANCELED, EMFILE …). */
export class SyscallError extends TimerstackError {
  /** The call that failed (`timerfd_settime` …). */
  readonly syscall: string;
  /** The errno number. */
  readonly errno: number;
  /** An error for `syscall` failing with `errno`. */
  constructor(syscall: string, errnoName: string, errno: number, message: string) {
    super(errnoName, message, EXIT.failure);
    this.syscall = syscall;
    this.errno = errno;
  }
}

/** The platform cannot give timerfd at all (not Linux, no libc). */
export class PlatformError extends TimerstackError {
  /** A platform error (code EPLATFORM). */
  constructor(message: string) {
    super('EPLATFORM', message, EXIT.failure);
  }
}

// The exit statuses as the docs state them: --help renders this table, and a test checks that the
// README and the man page list the same statuses.
export const EXIT_STATUSES: ReadonlyArray<readonly [status: string, meaning: string]> = [
  ['0', 'done: the time came, or a limit (--count, --for, --until) was reached, or retry\'s command succeeded; also when the reader of standard output went away'],
  ['N', 'once and at with a COMMAND, every with --fail-fast or --exit-on-error, and retry when it gave up: the command\'s own status; every also ends with 126 or 127 when its first run cannot start (unless --keep-going)'],
  ['124', 'the command timed out (--timeout), or retry --for ran out; 137 if it then needed SIGKILL'],
  ['125', 'timerstack itself failed (also: standard output or error could not be written), or a usage error (nothing was armed or run), or the command could not be started'],
  ['126', 'the command is not executable'],
  ['127', 'the command was not found'],
  ['128+N', 'stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT…), or the command was killed by it'],
];
