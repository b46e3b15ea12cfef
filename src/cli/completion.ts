// Shell completion: the `--get-yargs-completions` protocol the scripts call on TAB, answered from
// the option table through the same word walker as the parser (grammar/words.ts), and the
// scripts themselves, as yargs writes them.
import { UsageError } from '../errors.js';
import { COMMANDS, GLOBAL_OPTIONS, choicesOf, optionsFor, type CommandDef, type OptionDef } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { wordTokens } from '../grammar/words.js';
import { helpText } from './help.js';

export type Shell = 'bash' | 'zsh';

const SHELLS: readonly Shell[] = ['bash', 'zsh'];

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

// Candidates for the last word, from the table: `words` starts with the program's name.
export function candidates(words: readonly string[]): Candidate[] {
  const current = words.length > 1 ? words[words.length - 1]! : '';
  const before = words.slice(1, -1);
  const prefixed = (list: Candidate[]) => list.filter(([w]) => w.startsWith(current));
  const globals = GLOBAL_OPTIONS.map((g): Candidate => [`--${g.name}`, g.describe]);
  const commands = () => prefixed(COMMANDS.map((c): Candidate => [c.name, c.describe]));

  const first = before[0];
  if (first === undefined) return current.startsWith('-') ? prefixed(globals) : commands();
  if (first === 'help') return before.length === 1 ? commands() : [];
  const def = COMMANDS.find((c) => c.name === first);
  if (!def) return [];
  const help = globals.filter(([w]) => w === '--help');
  if (def.name === 'completion') {
    if (before.length > 1) return [];
    return current.startsWith('-') ? prefixed(help) : prefixed(SHELLS.map((s): Candidate => [s, `a script for ${s}`]));
  }
  if (def.name === 'export' && before.length === 1 && !current.startsWith('-')) {
    return prefixed([['systemd', 'a .timer and a .service per timer'], ['kubernetes', 'a CronJob per timer']]);
  }
  const state = commandState(before);
  // After `--`: the COMMAND, and the shell's own completion takes over.
  if (state.command) return [];
  if (state.wantsValue) {
    const choices = choicesOf(state.wantsValue, def.name);
    return choices && state.wantsValue.commands.includes(def.name) ? prefixed(choices.map((c): Candidate => [c, ''])) : [];
  }
  if (current.startsWith('--') && current.includes('=')) return choiceAfterEquals(def, current);
  // A FILE for `run` comes from the shell's own file completion.
  if (def.name === 'run' && !state.positional && !current.startsWith('-')) return [];
  if (current !== '' && !current.startsWith('-')) return [];
  const options = optionsFor(def.name)
    .filter((o) => !state.used.has(o.name))
    .map((o): Candidate => [`--${o.name}`, o.describe]);
  return prefixed([...options, ...help.filter(() => !state.used.has('help'))]);
}

interface CommandState {
  used: Set<string>;
  positional: boolean;
  // The last word is an option whose value is the word being completed.
  wantsValue: OptionDef | undefined;
  command: boolean;
}

// What the words after the command say, read by the parser's own walker. bash splits
// "--clock=real" into "--clock" "=" "real": those are joined again first.
function commandState(before: readonly string[]): CommandState {
  const joined: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const word = before[i]!;
    if (word.startsWith('--') && before[i + 1] === '=') {
      const value = before[i + 2];
      joined.push(value === undefined ? word : `${word}=${value}`);
      i += value === undefined ? 1 : 2;
    } else {
      joined.push(word);
    }
  }
  const state: CommandState = { used: new Set(), positional: false, wantsValue: undefined, command: false };
  for (const token of wordTokens(joined)) {
    if (token.kind === 'command') state.command = true;
    else if (token.kind === 'help') state.used.add('help');
    else if (token.kind === 'positional') state.positional = true;
    else if (token.kind === 'unknown') state.used.add(token.spelled.replace(/^--?/, ''));
    else {
      state.used.add(token.def.name);
      if (token.value === undefined) state.wantsValue = token.def;
    }
  }
  return state;
}

// "--clock=real<TAB>": the choices of that option, spelled with it.
function choiceAfterEquals(def: CommandDef, current: string): Candidate[] {
  const [name = '', value = ''] = current.slice(2).split('=', 2);
  const o = optionsFor(def.name).find((x) => x.name === name);
  const choices = o && choicesOf(o, def.name);
  if (!choices) return [];
  return choices.filter((c) => c.startsWith(value)).map((c): Candidate => [`--${name}=${c}`, '']);
}
