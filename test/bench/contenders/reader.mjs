// The reader's fallback when there is no C compiler: stamps each line from stdin with
// process.hrtime (CLOCK_MONOTONIC), and prints "STAMP_NS<TAB>LINE" per line at EOF.
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
  }
});
process.stdin.on('end', () => {
  let out = '';
  for (let i = 0; i < lines.length; i++) out += `${stamps[i]}\t${lines[i]}\n`;
  process.stdout.write(out);
});
