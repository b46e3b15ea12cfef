// The kinds of schedule, by command name: the one place a new kind is registered.
import type { TimerCommand } from '../grammar/options.js';
import { at } from './at.js';
import { calendar } from './calendar.js';
import { cron } from './cron.js';
import { every } from './every.js';
import type { Kind } from './kind.js';
import { once } from './once.js';
import { retry } from './retry.js';

export const KINDS: Readonly<Record<TimerCommand, Kind>> = { once, every, at, cron, calendar, retry };

export function kindOf(name: TimerCommand): Kind {
  return KINDS[name];
}
