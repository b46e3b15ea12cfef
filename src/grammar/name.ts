// Timer names, one rule for the command line (--name) and table lines (NAME: or --name):
// letters (any script), digits, "_", "." and "-", so a name is safe in TIMERSTACK_TIMER, in file
// names and on a terminal (no spaces, colons, control, format or escape characters).
import { UsageError } from '../errors.js';
import { quote } from './quote.js';

const NAME = /^[\p{L}\p{M}\p{N}_.-]+$/u;

// The name, or a UsageError quoting it as `spelled` ("b@d:" for a table line's head).
export function timerName(name: string, spelled: string = name): string {
  if (!NAME.test(name)) throw new UsageError(`bad timer name ${quote(spelled)} (use letters, digits, "_", "." and "-")`);
  return name;
}
