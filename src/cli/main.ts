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
import { line, version, type ExitResult, type Io, type OutputMode } from './io.js';
import { wallNow } from './now.js';
import { checkCommands, commandWarnings } from './preflight.js';
import { startSchedule } from './serve.js';

export type { ExitResult, Io, OutputMode } from './io.js';

// The options of `every --watch`: any of them sends the command line to cli/watch.ts.
const WATCH_OPTIONS = [WATCH, DIFFERENCES, EXIT_ON_CHANGE, EXIT_ON_ERROR];
export { colorLevel, version } from './io.js';

export async function main(argv: readonly string[], io: Io): Promise<ExitResult> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof TimerstackError) {
      const hint = err instanceof UsageError ? " (see 'timerstack --help')" : '';
      line(io.stderr, `timerstack: ${err.message}${hint}`);
      return { code: err.exitCode };
    }
    throw err;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<ExitResult> {
  const first = argv[0];
  if (first === '--version' || first === '-V') {
    line(io.stdout, version());
    return { code: EXIT.ok };
  }
  if (first === undefined) throw new UsageError(`missing command (${oneOf(COMMANDS.map((c) => c.name))})`);
  if (first === '--help' || first === '-h' || first === 'help') {
    return help(io, first === 'help' ? (argv[1] as CommandName | undefined) : undefined);
  }
  if (first === '--get-yargs-completions' || first === 'completion') {
    const { completion } = await import('./completion.js');
    io.stdout.write(await completion(argv, io.env));
    return { code: EXIT.ok };
  }
  if (first === 'export') {
    const { exportCommand } = await import('./export-command.js');
    return exportCommand(argv, io, () => help(io, 'export'));
  }
  if (first === 'next') {
    const { nextCommand } = await import('./next.js');
    return nextCommand(argv, io);
  }
  // Elsewhere than Linux nothing can be armed: say so before reading the rest.
  assertLinux();
  const words = parseWords(argv, 'cli');
  if (words.help) return help(io, words.command);
  const mode: OutputMode = {
    json: words.options.has('json'),
    quiet: words.options.has('quiet'),
    verbose: words.options.has('verbose'),
    ...(typeof words.options.get('metrics') === 'string' ? { metrics: words.options.get('metrics') as string } : {}),
    color: optionValue(words, COLOR) ?? 'auto',
  };
  if (words.command === 'run') {
    const { runTable } = await import('./run-table.js');
    return runTable(words, mode, io);
  }
  const now = wallNow();
  const spec = buildSpec(words, { ...now, defaultName: 'timer' });
  if (WATCH_OPTIONS.some((o) => words.options.has(o.name))) {
    const { watchEvery } = await import('./watch.js');
    return watchEvery(words, spec, mode, io);
  }
  if (words.options.has('dry-run')) {
    for (const text of formatPlan([spec], mode.json, now.nowNs)) line(io.stdout, text);
    for (const text of commandWarnings([{ where: spec.name, spec }], io.env)) line(io.stderr, `timerstack: ${text}`);
    return { code: EXIT.ok };
  }
  checkCommands([spec]);
  const single = kindOf(spec.kind).single;
  return startSchedule([spec], mode, io, { countdown: single, stdin: single, init: words.options.has('init') });
}

async function help(io: Io, topic: CommandName | undefined): Promise<ExitResult> {
  const { helpText } = await import('./help.js');
  const width = io.stdout.isTTY && io.stdout.columns ? Math.min(100, io.stdout.columns) : 80;
  io.stdout.write(await helpText(topic, { width }));
  return { code: EXIT.ok };
}
