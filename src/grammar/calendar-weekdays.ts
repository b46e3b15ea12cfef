// The weekday part of a calendar expression: names (long or short, any case), lists and
// ranges, as systemd 252 reads them.
import { Cursor, asciiLower } from './calendar-chain.js';
import { quote } from './quote.js';

const WEEKDAY_NAMES: readonly [string, number][] = [
  ['monday', 0], ['mon', 0], ['tuesday', 1], ['tue', 1], ['wednesday', 2], ['wed', 2],
  ['thursday', 3], ['thu', 3], ['friday', 4], ['fri', 4], ['saturday', 5], ['sat', 5],
  ['sunday', 6], ['sun', 6],
];

// Weekday names, lists and ranges at the cursor: a bit set, 0 when none is given.
export function parseWeekdays(cur: Cursor): number {
  let bits = 0;
  let rangeFrom = -1;
  let first = true;
  for (;;) {
    const wordStart = cur.pos;
    const lower = asciiLower(cur.text.slice(cur.pos, cur.pos + 9));
    const hit = WEEKDAY_NAMES.find(([name]) => lower.startsWith(name));
    if (hit === undefined) {
      if (first) return 0;
      throw cur.unexpected('weekdays');
    }
    const [name, nr] = hit;
    if (!['', '-', '.', ',', ' '].includes(cur.at(name.length))) {
      const word = /^[^\s,.-]*/.exec(cur.text.slice(wordStart))?.[0] ?? '';
      throw cur.fail(`weekday ${quote(word)} is not a weekday name`);
    }
    bits |= 1 << nr;
    if (rangeFrom >= 0) {
      if (rangeFrom > nr) {
        const end = quote(cur.text.slice(wordStart, wordStart + name.length));
        throw cur.fail(`weekday range ending in ${end} runs backwards (ranges go Mon..Sun)`);
      }
      for (let j = rangeFrom + 1; j < nr; j++) bits |= 1 << j;
    }
    cur.pos += name.length;
    if (cur.done) return bits;
    if (cur.char === ' ') {
      cur.skipSpaces();
      return bits;
    }
    const sep = cur.pos;
    if (cur.char === '.') {
      if (rangeFrom >= 0 || cur.at(1) !== '.') throw cur.unexpected('weekdays', sep);
      rangeFrom = nr;
      cur.pos += 2;
    } else if (cur.char === '-') {
      if (rangeFrom >= 0) throw cur.unexpected('weekdays', sep);
      rangeFrom = nr;
      cur.pos += 1;
    } else {
      rangeFrom = -1;
      cur.pos += 1;
    }
    if (cur.done || cur.char === ' ') {
      if (rangeFrom >= 0) {
        throw cur.fail(`weekday range ${quote(cur.text.slice(wordStart, cur.pos))} has no end`);
      }
      cur.skipSpaces();
      return bits;
    }
    first = false;
  }
}
