// --help text, rendered by yargs from the option table (grammar/options.ts) through its
// documented builder calls and getHelp(). yargs (40-70 ms to load) is loaded only here and in
// completion.ts; it never parses timerstack's argv, prints or exits.
import type { Argv } from 'yargs';
import { EXIT_STATUSES, UsageError } from '../errors.js';
import { COMMANDS, GLOBAL_OPTIONS, optionsFor, type CommandDef, type CommandName, type OptionDef } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';

export interface HelpOptions {
  // Columns to wrap at (default 80; main passes min(100, the terminal's width) on a terminal).
  width?: number;
}

const NAMES = COMMANDS.map((c) => c.name);
const COMMAND_LIST = `${NAMES.slice(0, -1).join(', ')} or ${NAMES[NAMES.length - 1]}`;

const SUMMARY = 'Kernel timers (timerfd + epoll) for the shell: wait, repeat, or fire at a wall-clock time, and run a command on time.';

// Epilogue paragraphs: cliui wraps each line and keeps its indentation, so one line per paragraph.
const DURATIONS = [
  'Durations:',
  '  a number and a unit: ns, us (µs), ms, s, m, h, d, w, or a long form (msec, seconds, min, hours, days, weeks…); compounds 1h30m or "1h 30min"; decimals 1.5h or .5s; a bare number is seconds (90); ISO 8601 PT1M30S or P1DT12H. Months and years are refused: their length is not fixed.',
].join('\n');

const TIMES = [
  'Times:',
  '  HH:MM[:SS[.frac]] (today, or tomorrow if already past), ISO 8601 such as 2026-12-01T09:00:00Z (no zone means local time), or @EPOCH seconds.',
].join('\n');

const RUN_FILES = [
  'Run files:',
  '  one timer per line, "name: once|every|at SPEC [options] [-- COMMAND]", quoted like a shell line; # starts a comment; an unnamed line is called line-N; SIGHUP re-reads the file. Process options (--json, --quiet, --verbose) go on the command line, not in the file.',
].join('\n');

const EXPORT = [
  'Export:',
  '  systemd: a NAME.timer and NAME.service per timer (AccuracySec=1us; every → OnActiveSec=/OnUnitActiveSec=, --align and at → OnCalendar=), on standard output under "# NAME.timer" lines, or into --dir. kubernetes: a batch/v1 CronJob per timer as YAML (the --align grid as cron; --image is required). What the target cannot run the same way (--overlap queue, --count, a sub-minute CronJob…) is refused, one line per timer, and nothing is written.',
].join('\n');

// Rows "status  \tmeaning": cliui lines the second column up (the trailing spaces keep a gap).
const EXIT_STATUS = ['Exit status:', ...EXIT_STATUSES.map(([code, what]) => `  ${code}  \t${what}`)].join('\n');

const SEE_ALSO = 'Help on one command: timerstack COMMAND --help. Everything else: man timerstack.';

function commandDef(name: string): CommandDef {
  const def = COMMANDS.find((c) => c.name === name);
  if (!def) throw new UsageError(`unknown command ${quote(name)} (use ${COMMAND_LIST})`);
  return def;
}

// yargs' command string: the name and its positional (a bare word is a demanded positional).
function commandString(def: CommandDef): string {
  return def.positional ? `${def.name} ${def.positional.name}` : def.name;
}

// This instance only renders help, so an option's key carries its argument ("count N") and
// yargs prints "--count N" as GNU help does (yargs has no per-option argument label; its own
// "[string]" would say less). Flags get no yargs type, so no "[boolean]" clutter either.
function addOption(y: Argv, o: OptionDef): Argv {
  return y.option(o.arg ? `${o.name} ${o.arg}` : o.name, {
    describe: o.describe,
    ...(o.short ? { alias: o.short } : {}),
    ...(o.choices ? { choices: [...o.choices] } : {}),
  });
}

// Two columns when every command fits in yargs' left column (at most half the width);
// otherwise the description as a "#" line above its command, so no command is broken mid-word.
function addExamples(y: Argv, examples: ReadonlyArray<readonly [string, string]>, width: number): Argv {
  const fits = examples.every(([cmd]) => cmd.length + 4 <= Math.floor(width / 2));
  for (const [cmd, what] of examples) {
    if (fits) y.example(cmd, what);
    else y.example(`# ${what}`, '').example(cmd, '');
  }
  return y;
}

function epilogueFor(def: CommandDef): string {
  const parts: string[] = [];
  if (def.name === 'once' || def.name === 'every' || def.name === 'at' || def.name === 'retry') parts.push(DURATIONS);
  if (def.name === 'at' || def.name === 'every') parts.push(TIMES);
  if (def.name === 'run') parts.push(RUN_FILES);
  if (def.name === 'export') parts.push(EXPORT);
  if (def.name !== 'completion') parts.push(EXIT_STATUS);
  parts.push('See man timerstack for the details.');
  return parts.join('\n\n');
}

// One yargs instance for the whole table: a command per CommandDef, its positional, options and
// examples; `topic` selects which help getHelp() renders.
async function buildHelp(topic: CommandName | undefined, width: number): Promise<Argv> {
  const { default: yargs } = await import('yargs');
  // help/version are ours, from GLOBAL_OPTIONS: switch yargs' own off first (it warns about an
  // option named "version" otherwise). English whatever $LANG says: the rest of the text is.
  const y = yargs(topic ? [topic] : [])
    .scriptName('timerstack')
    .exitProcess(false)
    .detectLocale(false)
    .help(false)
    .version(false)
    .wrap(width)
    .usage([...COMMANDS.map((c) => `$0 ${c.usage}`), '$0 COMMAND --help', '', SUMMARY].join('\n'));
  for (const g of GLOBAL_OPTIONS) y.option(g.name, { alias: g.short, describe: g.describe, global: false });
  for (const def of COMMANDS) {
    y.command(commandString(def), def.describe, (b: Argv) => {
      b.usage(`$0 ${def.usage}\n\n${def.describe}`);
      if (def.positional) b.positional(def.positional.name, { describe: def.positional.describe });
      for (const o of optionsFor(def.name)) addOption(b, o);
      const help = GLOBAL_OPTIONS.find((g) => g.name === 'help');
      if (help) b.option(help.name, { alias: help.short, describe: help.describe });
      addExamples(b, def.examples, width);
      return b.epilogue(epilogueFor(def));
    });
  }
  addExamples(y, COMMANDS.flatMap((c) => c.examples.slice(0, 1)), width);
  return y.epilogue([DURATIONS, TIMES, EXIT_STATUS, SEE_ALSO].join('\n\n'));
}

// Help for the whole tool, or for one command; an unknown topic is a usage error.
export async function helpText(topic?: CommandName, options: HelpOptions = {}): Promise<string> {
  if (topic !== undefined) commandDef(topic);
  const y = await buildHelp(topic, options.width ?? 80);
  return `${await y.getHelp()}\n`;
}

