// Shell completion: the `--get-yargs-completions` protocol the scripts call on TAB, answered from
// the option table through the same word walker as the parser (grammar/words.ts); the scripts
// themselves are timerstack's own templates (completion-scripts.ts).
import { UsageError } from '../errors.js';
import { COMMANDS, GLOBAL_OPTIONS, optionsFor, type CommandDef, type OptionDef } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { wordTokens } from '../grammar/words.js';
import { SHELLS, completionScript, type Shell } from './completion-scripts.js';
import { helpText } from './help.js';

export type { Shell } from './completion-scripts.js';

// `timerstack completion [bash|zsh|fish]` prints a script; `timerstack --get-yargs-completions
// WORDS` (what that script runs on TAB) prints the candidates for the last word, one per line,
// and for the scripts of this version (TIMERSTACK_COMPLETE set) a last line when the shell
// should complete the word itself (completion-scripts.ts). Scripts written by earlier versions
// (yargs' own) get candidates only, as before: "word:description" for zsh's, which exports
// COMP_LINE.
export async function completion(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (argv[0] === '--get-yargs-completions') {
    const words = currentWords(argv.slice(1), env);
    const shell = (SHELLS as readonly string[]).includes(env.TIMERSTACK_COMPLETE ?? '') ? (env.TIMERSTACK_COMPLETE as Shell) : undefined;
    const style = shell ?? (env.COMP_LINE !== undefined ? 'zsh' : 'bash');
    const answer = complete(words);
    const lines = answer.candidates.map(([word, what]) => formatCandidate(style, word, what));
    if (shell && answer.handOff) lines.push(answer.handOff.kind === 'files' ? ':files' : `:command ${answer.handOff.at}`);
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
  const rest = argv.slice(1);
  if (rest.includes('--help') || rest.includes('-h')) return helpText('completion');
  if (rest.length > 1) throw new UsageError(`completion: unexpected argument ${quote(rest[1]!)}`);
  const shell = rest[0] ?? 'bash';
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell ${quote(shell)} (use bash, zsh or fish)`);
  return completionScript(shell as Shell);
}

// One candidate line: zsh's _describe reads "word:description" (a colon in the word escaped),
// fish "word<TAB>description", bash the word alone.
function formatCandidate(style: Shell, word: string, what: string): string {
  if (!what || style === 'bash') return word;
  return style === 'zsh' ? `${word.replace(/:/g, '\\:')}:${what}` : `${word}\t${what}`;
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

// What to answer for the last word: candidates, and whether the shell completes it instead.
export interface Completion {
  candidates: Candidate[];
  handOff?: { kind: 'files' } | { kind: 'command'; at: number };
}

// Candidates for the last word, from the table: `words` starts with the program's name.
export function candidates(words: readonly string[]): Candidate[] {
  return complete(words).candidates;
}

export function complete(words: readonly string[]): Completion {
  const current = words.length > 1 ? words[words.length - 1]! : '';
  const before = words.slice(1, -1);
  const only = (list: Candidate[]): Completion => ({ candidates: list.filter(([w]) => w.startsWith(current)) });
  const globals = GLOBAL_OPTIONS.map((g): Candidate => [`--${g.name}`, g.describe]);
  const commands = () => only(COMMANDS.map((c): Candidate => [c.name, c.describe]));

  const first = before[0];
  if (first === undefined) return current.startsWith('-') ? only(globals) : commands();
  if (first === 'help') return before.length === 1 ? commands() : { candidates: [] };
  const def = COMMANDS.find((c) => c.name === first);
  if (!def) return { candidates: [] };
  const help = globals.filter(([w]) => w === '--help');
  if (def.name === 'completion') {
    if (before.length > 1) return { candidates: [] };
    return current.startsWith('-') ? only(help) : only(SHELLS.map((s): Candidate => [s, `a script for ${s}`]));
  }
  // After `--`: the COMMAND and its arguments, which the shell completes (the first `--` after
  // the command word ends the options: an option wanting a value does not take it).
  const separator = words.indexOf('--', 2);
  if (separator >= 0 && separator < words.length - 1) return { candidates: [], handOff: { kind: 'command', at: separator + 1 } };
  if (def.name === 'export' && before.length === 1 && !current.startsWith('-')) {
    return only([['systemd', 'a .timer and a .service per timer'], ['kubernetes', 'a CronJob per timer']]);
  }
  const state = commandState(before);
  if (state.wantsValue) {
    const { choices, commands: applies } = state.wantsValue;
    return choices && applies.includes(def.name) ? only(choices.map((c): Candidate => [c, ''])) : { candidates: [] };
  }
  if (current.startsWith('--') && current.includes('=')) return { candidates: choiceAfterEquals(def, current) };
  // The FILE of `run` is a file name.
  if (def.name === 'run' && !state.positional && !current.startsWith('-')) return { candidates: [], handOff: { kind: 'files' } };
  if (current !== '' && !current.startsWith('-')) return { candidates: [] };
  const options = optionsFor(def.name)
    .filter((o) => !state.used.has(o.name))
    .map((o): Candidate => [`--${o.name}`, o.describe]);
  return only([...options, ...help.filter(() => !state.used.has('help'))]);
}

interface CommandState {
  used: Set<string>;
  positional: boolean;
  // The last word is an option whose value is the word being completed.
  wantsValue: OptionDef | undefined;
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
  const state: CommandState = { used: new Set(), positional: false, wantsValue: undefined };
  for (const token of wordTokens(joined)) {
    if (token.kind === 'command') break;
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
  if (!o?.choices) return [];
  return o.choices.filter((c) => c.startsWith(value)).map((c): Candidate => [`--${name}=${c}`, '']);
}
