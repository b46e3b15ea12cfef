// --help text and shell completion, both read from the option table (spec/options.ts). The only
// module that loads yargs (40-70 ms), and only to render help or print a completion script:
// yargs never parses timerstack's argv, prints or exits here.
import type { Argv } from 'yargs';
import { UsageError } from './errors.js';
import { COMMANDS, GLOBAL_OPTIONS, OPTIONS, optionsFor, type CommandDef, type CommandName, type OptionDef } from './spec/options.js';
import { quote } from './spec/words.js';

export interface HelpOptions {
  // Columns to wrap at; by default min(100, the terminal's width) on a terminal, else 80.
  width?: number;
}

export type Shell = 'bash' | 'zsh';

const SHELLS: readonly Shell[] = ['bash', 'zsh'];
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

// Rows "status  \tmeaning": cliui lines the second column up (the trailing spaces keep a gap).
const EXIT_STATUS = [
  'Exit status:',
  ...[
    ['0', 'done: the time came, or a limit (--count, --for, --until) was reached; a failed run changes the status only as below'],
    ['1', 'timerstack itself failed (a system call, an unwritable output)'],
    ['2', 'usage error: nothing was armed or run'],
    ['N', 'once and at with a COMMAND, and every with --fail-fast: the command\'s own status'],
    ['124', 'the command timed out (--timeout); 137 if it then needed SIGKILL'],
    ['125', 'the command could not be started'],
    ['126', 'the command is not executable'],
    ['127', 'the command was not found'],
    ['128+N', 'stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP), or the command was killed by it'],
  ].map(([code, what]) => `  ${code}  \t${what}`),
].join('\n');

const SEE_ALSO = 'Help on one command: timerstack COMMAND --help. Everything else: man timerstack.';

function defaultWidth(): number {
  const out = process.stdout;
  return out.isTTY && out.columns ? Math.min(100, out.columns) : 80;
}

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
  if (def.name === 'once' || def.name === 'every' || def.name === 'at') parts.push(DURATIONS);
  if (def.name === 'at' || def.name === 'every') parts.push(TIMES);
  if (def.name === 'run') parts.push(RUN_FILES);
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
  const y = await buildHelp(topic, options.width ?? defaultWidth());
  return `${await y.getHelp()}\n`;
}

// `timerstack completion [bash|zsh]` prints a script; `timerstack --get-yargs-completions WORDS`
// (what that script runs on TAB) prints the candidates for the last word, one per line.
export async function completion(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (argv[0] === '--get-yargs-completions') {
    const words = currentWords(argv.slice(1), env);
    // Only the zsh script exports COMP_LINE; its _describe shows "word:description" pairs.
    const zsh = env.COMP_LINE !== undefined;
    const lines = candidates(words).map(([word, what]) => (zsh && what ? `${word.replace(/:/g, '\\:')}:${what}` : word));
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
  const rest = argv.slice(1);
  if (rest.includes('--help') || rest.includes('-h')) return helpText('completion');
  if (rest.length > 1) throw new UsageError(`completion: unexpected argument ${quote(rest[1]!)}`);
  const shell = rest[0] ?? 'bash';
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell ${quote(shell)} (use bash or zsh)`);
  return completionScript(shell as Shell);
}

// The script yargs writes for `shell`; it calls `timerstack --get-yargs-completions` on TAB.
async function completionScript(shell: Shell): Promise<string> {
  const { default: yargs } = await import('yargs');
  // yargs chooses bash or zsh from $SHELL / $ZSH_NAME when an instance is created and has no
  // option for it: set them for that one synchronous call, so the argument decides, not the
  // login shell.
  const y = withEnv({ SHELL: `/bin/${shell}`, ZSH_NAME: undefined }, () => yargs([]));
  const install = shell === 'bash' ? 'completion' : 'completion zsh';
  // showCompletionScript() logs; inside parse() with a callback, the log is returned instead of
  // printed. Its ($0, command) arguments are not in @types/yargs.
  const show = y.showCompletionScript.bind(y) as unknown as (name: string, command: string) => void;
  y.scriptName('timerstack')
    .exitProcess(false)
    .detectLocale(false)
    .help(false)
    .version(false)
    .command('script', false, {}, () => show('timerstack', install));
  const script = await new Promise<string>((resolve, reject) => {
    void y.parse(['script'], {}, (err, _argv, output) => (err ? reject(err) : resolve(output)));
  });
  return script.endsWith('\n') ? script : `${script}\n`;
}

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  try {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    return fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

// The words up to the one being completed. Both scripts pass every word of the line; the zsh one
// also says which is current (COMP_CWORD), for bash the last word is taken as current.
function currentWords(words: readonly string[], env: NodeJS.ProcessEnv): readonly string[] {
  const cword = Number(env.COMP_CWORD);
  if (env.COMP_CWORD !== undefined && Number.isInteger(cword) && cword >= 0 && cword < words.length) {
    return words.slice(0, cword + 1);
  }
  return words;
}

type Candidate = readonly [word: string, description: string];

const byName = new Map(OPTIONS.map((o) => [o.name, o]));
const byShort = new Map(OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));

// Candidates for the last word, from the table: `words` starts with the program's name.
export function candidates(words: readonly string[]): Candidate[] {
  const current = words.length > 1 ? words[words.length - 1]! : '';
  const before = words.slice(1, -1);
  const prefixed = (list: Candidate[]) => list.filter(([w]) => w.startsWith(current));
  const globals = GLOBAL_OPTIONS.map((g): Candidate => [`--${g.name}`, g.describe]);

  const first = before[0];
  if (first === undefined) {
    if (current.startsWith('-')) return prefixed(globals);
    return prefixed(COMMANDS.map((c): Candidate => [c.name, c.describe]));
  }
  if (first === 'help') {
    return before.length === 1 ? prefixed(COMMANDS.map((c): Candidate => [c.name, c.describe])) : [];
  }
  const def = COMMANDS.find((c) => c.name === first);
  if (!def) return [];
  const help = globals.filter(([w]) => w === '--help');
  if (def.name === 'completion') {
    if (before.length > 1) return [];
    return current.startsWith('-') ? prefixed(help) : prefixed(SHELLS.map((s): Candidate => [s, `a script for ${s}`]));
  }

  // Walk the words after the command: which options are used, whether the positional is there,
  // and whether the last one still wants a value.
  const used = new Set<string>();
  let positional = false;
  let wantsValue: OptionDef | undefined;
  for (let i = 1; i < before.length; i++) {
    const word = before[i]!;
    if (word === '--') return []; // the COMMAND: the shell's own completion takes over
    if (word.startsWith('--')) {
      const [name = '', value] = word.slice(2).split('=', 2);
      const o = byName.get(name);
      used.add(o ? o.name : name);
      if (o && o.type !== 'flag' && value === undefined) {
        // Its value is the next word; bash splits "--clock=real" into "--clock" "=" "real".
        let next = i + 1;
        if (before[next] === '=') next++;
        if (next >= before.length) wantsValue = o;
        else i = next;
      }
    } else if (word.startsWith('-') && word.length > 1 && !/^-[\d.]/.test(word)) {
      for (const letter of word.slice(1)) used.add(letter === 'h' ? 'help' : (byShort.get(letter)?.name ?? letter));
    } else {
      positional = true;
    }
  }
  if (wantsValue) {
    const { choices, commands } = wantsValue;
    return choices && commands.includes(def.name) ? prefixed(choices.map((c): Candidate => [c, ''])) : [];
  }
  if (current.startsWith('--') && current.includes('=')) {
    const [name = '', value = ''] = current.slice(2).split('=', 2);
    const o = byName.get(name);
    if (!o?.choices || !o.commands.includes(def.name)) return [];
    return o.choices.filter((c) => c.startsWith(value)).map((c): Candidate => [`--${name}=${c}`, '']);
  }
  // A FILE for `run` comes from the shell's own file completion.
  if (def.name === 'run' && !positional && !current.startsWith('-')) return [];
  if (current !== '' && !current.startsWith('-')) return [];
  const options = optionsFor(def.name)
    .filter((o) => !used.has(o.name))
    .map((o): Candidate => [`--${o.name}`, o.describe]);
  return prefixed([...options, ...help.filter(() => !used.has('help'))]);
}
