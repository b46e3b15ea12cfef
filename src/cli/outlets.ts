// Standard output and error for one command line, and how their failures end it: a reader of
// standard output that went away is the quiet end the man page promises (status 0); any other
// failure to write standard output is one line on stderr (JSON with --json) and status 125; a
// standard error that could not be written (nothing more is written there) makes a status that
// would have been 0 say 125. A command's own status or a signal is never overridden.
import { EXIT } from '../errors.js';
import { jsonFormatter } from '../output/json.js';
import type { ExitResult, Io } from './io.js';
import { Outlet, describeFailure, readerGone } from './outlet.js';

export class Outlets {
  out: Outlet;
  readonly err: Outlet;
  // Standard output itself, while events go through a description of its own (ownStdout).
  private shared: Outlet | undefined;
  // Lines to stderr as NDJSON (--json).
  json = false;
  // The reader of standard output went away (its watch fired, or a write met EPIPE).
  readerLeft = false;

  constructor(io: Io) {
    this.out = new Outlet(io.stdout);
    this.err = new Outlet(io.stderr);
  }

  // Events go through `stream` from now on: standard output's pipe, opened again (own-stdout.ts).
  useOwnStdout(stream: NodeJS.WritableStream): void {
    this.shared ??= this.out;
    const own = new Outlet(stream);
    own.beforeWrite = this.out.beforeWrite;
    this.out = own;
  }

  // A line about timerstack itself on stderr: "timerstack: …", or an NDJSON error event.
  error(message: string, code?: string): void {
    const now = BigInt(Date.now()) * 1_000_000n;
    this.err.line(this.json ? jsonFormatter.error({ message, code, timeNs: now }) : `timerstack: ${message}`);
  }

  // Waits until what was written to stdout is out (not after a stopping signal: a stalled
  // reader must not hold that up), then says how the process ends.
  async settle(result: ExitResult): Promise<ExitResult> {
    if (!result.signal) await this.out.settled();
    if (this.shared) {
      // Our own description of the pipe is closed once its lines are out.
      const own = this.out.stream as NodeJS.WritableStream & { destroy?: () => void };
      if (result.signal) own.destroy?.();
      else own.end();
      if (!result.signal) await this.shared.settled();
    }
    const failure = this.out.failure ?? this.shared?.failure;
    if (readerGone(failure)) this.readerLeft = true;
    if (this.readerLeft) return result;
    if (failure) {
      this.error(`cannot write to standard output: ${describeFailure(failure)}`, failure.code);
      return failed(result);
    }
    return this.err.failed ? failed(result) : result;
  }
}

function failed(result: ExitResult): ExitResult {
  return result.signal || result.code !== EXIT.ok ? result : { code: EXIT.failure };
}
