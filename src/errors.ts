// Every failure timerstack knows about, with a stable code and the exit status it maps to.
// Only cli/main.ts turns these into an exit; library users catch them by class or `code`.

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
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

// Bad input from the user: one line on stderr and exit 2; nothing has been armed or run.
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
