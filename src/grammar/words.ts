// Words → command, positional and raw option values, driven by the option table. One walker for
// the command line, for `run` table lines and for shell completion (which reads the same tokens
// without refusing anything). Pure: no OS, no clocks.
import { UsageError } from '../errors.js';
import { COMMANDS, OPTIONS, TIMER_COMMANDS, oneOf, type CommandName, type OptionDef } from './options.js';
import { quote } from './quote.js';

export interface ParsedWords {
  command: CommandName;
  // The positional's words joined by a space (several only where the command allows it).
  positional: string | undefined;
  positionals: string[];
  // Each option's text as given (true for a flag); its parser runs when the value is asked for.
  options: Map<string, string | true>;
  // Every value of a repeatable option, in order (options holds the last).
  repeated: Map<string, string[]>;
  // The words after `--`, when given.
  argv: string[] | undefined;
  help: boolean;
}

export type WordToken =
  // An option and its text; `value` is undefined when it wants one and the words ran out.
  | { kind: 'option'; def: OptionDef; spelled: string; value: string | true | undefined }
  | { kind: 'unknown'; spelled: string }
  | { kind: 'positional'; word: string }
  | { kind: 'help' }
  // `--` and the command after it.
  | { kind: 'command'; argv: string[] };

const byLong = new Map(OPTIONS.map((o) => [o.name, o]));
const commandNames = new Map(COMMANDS.map((c) => [c.name as string, c.name]));

// A short letter means one option per command (-n is --dry-run for a timer, --iterations for
// `next`); for a word that is not a command, the first option with that letter.
function shortOption(command: string | undefined, letter: string): OptionDef | undefined {
  const all = OPTIONS.filter((o) => o.short === letter);
  return all.find((o) => (o.commands as readonly string[]).includes(command ?? '')) ?? all[0];
}

// The tokens of `words` after the command word, as getopt reads them: the word after an option
// that takes a value is its value, whatever it looks like; `-qv` is two flags; `-n5` and `-n 5`
// give a short option its value; a dash and a digit is a value (a negative number, refused later
// by its parser).
export function* wordTokens(words: readonly string[], helpWords = true): Generator<WordToken> {
  const command = words[0];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      yield { kind: 'command', argv: words.slice(i + 1) };
      return;
    }
    if (helpWords && (word === '--help' || word === '-h')) {
      yield { kind: 'help' };
    } else if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const spelled = eq < 0 ? word : word.slice(0, eq);
      const def = byLong.get(spelled.slice(2));
      if (!def) {
        yield { kind: 'unknown', spelled };
      } else if (def.type === 'flag' || eq >= 0) {
        yield { kind: 'option', def, spelled, value: eq < 0 ? true : word.slice(eq + 1) };
      } else {
        const next = words[i + 1];
        const value = next === undefined || next === '--' ? undefined : next;
        if (value !== undefined) i++;
        yield { kind: 'option', def, spelled, value };
      }
    } else if (word.length > 1 && word.startsWith('-') && !/^-[\d.]/.test(word)) {
      for (let k = 1; k < word.length; k++) {
        const letter = word[k]!;
        if (helpWords && letter === 'h') {
          yield { kind: 'help' };
          continue;
        }
        const def = shortOption(command, letter);
        if (!def) {
          yield { kind: 'unknown', spelled: `-${letter}` };
        } else if (def.type === 'flag') {
          yield { kind: 'option', def, spelled: `-${letter}`, value: true };
        } else {
          // The rest of the word, or the next word, is its value.
          const attached = word.slice(k + 1);
          const next = words[i + 1];
          const value = attached !== '' ? attached : next === undefined || next === '--' ? undefined : next;
          if (attached === '' && value !== undefined) i++;
          yield { kind: 'option', def, spelled: `-${letter}`, value };
          break;
        }
      }
    } else {
      yield { kind: 'positional', word };
    }
  }
}

const COMMAND_LIST = oneOf(COMMANDS.map((c) => c.name));
const TIMER_LIST = oneOf(TIMER_COMMANDS);

// The command word: one of the table's, and for a table line one of its timer commands.
export function commandOf(word: string | undefined, context: 'cli' | 'table'): CommandName {
  if (word === undefined) throw new UsageError(`missing command (${COMMAND_LIST})`);
  const command = commandNames.get(word);
  if (context === 'table' && command === 'retry') throw new UsageError('retry runs one command until it succeeds: use it on the command line, not in a table');
  if (!command || (context === 'table' && !(TIMER_COMMANDS as readonly string[]).includes(command))) {
    const allowed = context === 'table' ? TIMER_LIST : COMMAND_LIST;
    throw new UsageError(`unknown command ${quote(word)} (use ${allowed})`);
  }
  return command;
}

// `context` restricts options: 'table' refuses process-wide ones (--json in a table line).
export function parseWords(words: readonly string[], context: 'cli' | 'table' = 'cli'): ParsedWords {
  const command = commandOf(words[0], context);
  const parsed: ParsedWords = { command, positional: undefined, positionals: [], options: new Map(), repeated: new Map(), argv: undefined, help: false };
  const several = COMMANDS.find((c) => c.name === command)?.positional?.several === true;
  for (const token of wordTokens(words, context === 'cli')) {
    switch (token.kind) {
      case 'command':
        if (token.argv.length === 0 || token.argv[0] === '') throw new UsageError('"--" with no command after it');
        parsed.argv = token.argv;
        break;
      case 'help':
        parsed.help = true;
        break;
      case 'unknown':
        throw new UsageError(`unknown option ${quote(token.spelled)}`);
      case 'option':
        acceptOption(token.def, command, context, token.value);
        parsed.options.set(token.def.name, token.value!);
        if (token.def.repeatable) parsed.repeated.set(token.def.name, [...(parsed.repeated.get(token.def.name) ?? []), token.value as string]);
        break;
      case 'positional':
        if (parsed.positional !== undefined && !several) throw new UsageError(`unexpected argument ${quote(token.word)} (put a command after --)`);
        parsed.positionals.push(token.word);
        parsed.positional = parsed.positionals.join(' ');
    }
  }
  return parsed;
}

function acceptOption(def: OptionDef, command: CommandName, context: 'cli' | 'table', value: string | true | undefined): void {
  if (!def.commands.includes(command)) throw new UsageError(`option --${def.name} does not apply to ${command}`);
  if (context === 'table' && def.scope === 'process') throw new UsageError(`option --${def.name} belongs on the command line, not in a table line`);
  if (def.type === 'flag' && value !== true) throw new UsageError(`option --${def.name} takes no value`);
  if (value === undefined) throw new UsageError(`option --${def.name} needs a value (${def.arg})`);
}

// The value of an option as its parser reads it (undefined when not given); a refusal names
// the option: "--jitter: unknown unit …".
export function optionValue<T>(words: ParsedWords, def: OptionDef<T>): T | undefined {
  const raw = words.options.get(def.name);
  if (raw === undefined) return undefined;
  return prefixed(`--${def.name}`, () => def.parse(raw === true ? '' : raw));
}

// Every value of a repeatable option, each through its parser, in the order given.
export function optionValues<T>(words: ParsedWords, def: OptionDef<T>): T[] {
  return (words.repeated.get(def.name) ?? []).map((raw) => prefixed(`--${def.name}`, () => def.parse(raw)));
}

// Runs `fn`, naming `what` in front of the message of a UsageError it throws.
export function prefixed<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${what}: ${err.message}`, err.code);
    throw err;
  }
}
