// Words → command, positional and raw option values, driven by the option table. One parser
// for the command line and for `run` table lines. Pure: no OS, no clocks.
import { UsageError } from '../errors.js';
import { quote } from './duration.js';
import { COMMANDS, OPTIONS, type CommandName, type OptionDef } from './options.js';

// One quoting for every error (control characters escaped, long input cut): see duration.ts.
export { quote };

export interface ParsedWords {
  command: CommandName;
  positional: string | undefined;
  options: Map<string, string | true>;
  // The words after `--`, when given.
  argv: string[] | undefined;
  help: boolean;
}

const byLong = new Map(OPTIONS.map((o) => [o.name, o]));
const byShort = new Map(OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));
const commandNames = new Map(COMMANDS.map((c) => [c.name as string, c.name]));

// `context` restricts options: 'table' refuses process-wide ones (--json in a table line).
export function parseWords(words: readonly string[], context: 'cli' | 'table' = 'cli'): ParsedWords {
  const first = words[0];
  if (first === undefined) throw new UsageError('missing command (once, every, at, run)');
  const command = commandNames.get(first);
  if (!command || (context === 'table' && (command === 'run' || command === 'completion'))) {
    const allowed = context === 'table' ? 'once, every or at' : 'once, every, at, run or completion';
    throw new UsageError(`unknown command ${quote(first)} (use ${allowed})`);
  }
  const options = new Map<string, string | true>();
  let positional: string | undefined;
  let argv: string[] | undefined;
  let help = false;

  const accept = (def: OptionDef | undefined, spelled: string): OptionDef => {
    if (!def) throw new UsageError(`unknown option ${quote(spelled)}`);
    if (!def.commands.includes(command)) throw new UsageError(`option --${def.name} does not apply to ${command}`);
    if (context === 'table' && def.scope === 'process') throw new UsageError(`option --${def.name} belongs on the command line, not in a table line`);
    return def;
  };

  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      argv = words.slice(i + 1);
      if (argv.length === 0 || argv[0] === '') throw new UsageError('"--" with no command after it');
      break;
    }
    if (context === 'cli' && (word === '--help' || word === '-h')) {
      help = true;
      continue;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const def = accept(byLong.get(name), eq < 0 ? word : word.slice(0, eq));
      if (def.type === 'flag') {
        if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
        options.set(def.name, true);
      } else if (eq >= 0) {
        options.set(def.name, word.slice(eq + 1));
      } else {
        const value = words[i + 1];
        if (value === undefined || value === '--') throw new UsageError(`option --${name} needs a value (${def.arg})`);
        options.set(def.name, value);
        i++;
      }
      continue;
    }
    // Short flags (-q, -qv); a dash and a digit is a value (a negative number, refused later).
    if (word.length > 1 && word.startsWith('-') && !/^-[\d.]/.test(word)) {
      for (const letter of word.slice(1)) {
        if (context === 'cli' && letter === 'h') {
          help = true;
          continue;
        }
        const def = accept(byShort.get(letter), `-${letter}`);
        options.set(def.name, true);
      }
      continue;
    }
    if (positional !== undefined) {
      throw new UsageError(`unexpected argument ${quote(word)} (put a command after --)`);
    }
    positional = word;
  }
  return { command, positional, options, argv, help };
}
