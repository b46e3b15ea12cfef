// The command line: argv → spec → schedule, and back to an exit status. This folder alone knows
// argv, stdout, stderr, signals and exit codes; main() turns every TimerstackError into one line
// on stderr and its status.
import { EXIT, TimerstackError, UsageError } from '../errors.js';
import { COLOR, COMMANDS, DIFFERENCES, EXIT_ON_CHANGE, EXIT_ON_ERROR, WATCH, oneOf, type CommandName } from '../grammar/options.js';
import { optionValue, parseWords } from '../grammar/words.js';
import { kindOf } from '../kinds/index.js';
import { buildSpec } from '../kinds/spec.js';
import { assertLinux } from '../native/libc.js';
import { formatPlan } from '../output/plan.js';
import { version, type ExitResult, type Io, type OutputMode } from './io.js';
import { wallNow } from './now.js';
import { refuseNonUtf8 } from './argv-bytes.js';
import { Outlets } from './outlets.js';
import { checkCommands, commandWarnings } from './preflight.js';
import { startSchedule } from './serve.js';
import { restoreCallerPool } from './thread-pool.js';

export type { ExitResult, Io, OutputMode } from './io.js';

// The options of `every --watch`: any of them sends the command line to cli/watch.ts.
const WATCH_OPTIONS = [WATCH, DIFFERENCES, EXIT_ON_CHANGE, EXIT_ON_ERROR];
export { colorLevel, version } from './io.js';

// Runs one command line; what it wrote is settled before the status is returned, and a stream
// that could not be written makes it one line on stderr and status 125.
export async function main(argv: readonly string[], io: Io): Promise<ExitResult> {
  restoreCallerPool(io.env);
  const outlets = new Outlets(io);
  let result: ExitResult;
  try {
    result = await dispatch(argv, io, outlets);
  } catch (err) {
    if (!(err instanceof TimerstackError)) throw err;
    const hint = err instanceof UsageError ? " (see 'timerstack --help')" : '';
    outlets.err.line(`timerstack: ${err.message}${hint}`);
    result = { code: err.exitCode };
  }
  return outlets.settle(result);
}

async function dispatch(argv: readonly string[], io: Io, outlets: Outlets): Promise<ExitResult> {
  refuseNonUtf8(argv);
  const first = argv[0];
  if (first === '--version' || first === '-V') {
    outlets.out.line(version());
    return { code: EXIT.ok };
  }
  if (first === undefined) throw new UsageError(`missing command (${oneOf(COMMANDS.map((c) => c.name))})`);
  if (first === '--help' || first === '-h' || first === 'help') {
    return help(io, outlets, first === 'help' ? (argv[1] as CommandName | undefined) : undefined);
  }
  if (first === '--get-yargs-completions' || first === 'completion') {
    const { completion } = await import('./completion.js');
    outlets.out.write(await completion(argv, io.env));
    return { code: EXIT.ok };
  }
  if (first === 'export') {
    const { exportCommand } = await import('./export-command.js');
    return exportCommand(argv, io, () => help(io, outlets, 'export'));
  }
  if (first === 'next') {
    const { nextCommand } = await import('./next.js');
    return nextCommand(argv, io);
  }
  // Elsewhere than Linux nothing can be armed: say so before reading the rest.
  assertLinux();
  const words = parseWords(argv, 'cli');
  if (words.help) return help(io, outlets, words.command);
  const mode: OutputMode = {
    json: words.options.has('json'),
    quiet: words.options.has('quiet'),
    verbose: words.options.has('verbose'),
    ...(typeof words.options.get('metrics') === 'string' ? { metrics: words.options.get('metrics') as string } : {}),
    color: optionValue(words, COLOR) ?? 'auto',
    lean: words.options.has('lean'),
    precise: words.options.has('precise'),
  };
  if (mode.lean && mode.precise) throw new UsageError('--precise needs the warm-up wake that --lean turns off: give one of them');
  outlets.json = mode.json;
  if (words.command === 'run') {
    const { runTable } = await import('./run-table.js');
    return runTable(words, mode, io, outlets);
  }
  const now = wallNow();
  const spec = buildSpec(words, { ...now, defaultName: 'timer' });
  if (WATCH_OPTIONS.some((o) => words.options.has(o.name))) {
    const { watchEvery } = await import('./watch.js');
    return watchEvery(words, spec, mode, io, outlets);
  }
  if (words.options.has('dry-run')) {
    for (const text of formatPlan([spec], mode.json, now.nowNs)) outlets.out.line(text);
    for (const text of commandWarnings([{ where: spec.name, spec }], io.env)) outlets.err.line(`timerstack: ${text}`);
    return { code: EXIT.ok };
  }
  checkCommands([spec]);
  const single = kindOf(spec.kind).single;
  return startSchedule([spec], mode, io, outlets, { countdown: single && !spec.forever, stdin: single, init: words.options.has('init') });
}

async function help(io: Io, outlets: Outlets, topic: CommandName | undefined): Promise<ExitResult> {
  const { helpText } = await import('./help.js');
  const width = io.stdout.isTTY && io.stdout.columns ? Math.min(100, io.stdout.columns) : 80;
  outlets.out.write(await helpText(topic, { width }));
  return { code: EXIT.ok };
}
