// The reader's fallback when there is no C compiler: stamps each line from stdin with
// process.hrtime (CLOCK_MONOTONIC), and prints "STAMP_NS<TAB>LINE" per line at EOF; with
// READER_TAP=N, the first N stamps also go to fd 3 as they come, as reader.c does.
import { closeSync, writeSync } from 'node:fs';

let tap = Number(process.env.READER_TAP) || 0;
const stamps = [];
const lines = [];
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const now = process.hrtime.bigint();
  const parts = (rest + chunk).split('\n');
  rest = parts.pop();
  for (const line of parts) {
    stamps.push(now);
    lines.push(line);
    if (tap > 0) {
      try {
        writeSync(3, `${now}\n`);
      } catch {
        tap = 1;
      }
      if (--tap === 0) closeSync(3);
    }
  }
});
process.stdin.on('end', () => {
  let out = '';
  for (let i = 0; i < lines.length; i++) out += `${stamps[i]}\t${lines[i]}\n`;
  process.stdout.write(out);
});
