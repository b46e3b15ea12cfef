// Read timerstack's NDJSON from standard input and check each event's kind and time against
// the schema shipped in the package (a full check would hand it to a JSON Schema validator).
//   timerstack every 10ms --count 3 --json | node examples/validate-events.mjs
import { createInterface } from 'node:readline';
import schema from 'timerstack/schema/events.json' with { type: 'json' };

const kinds = new Set(schema.oneOf.map((ref) => schema.$defs[ref.$ref.split('/').pop()].properties.event.const));
const instant = new RegExp(schema.$defs.instant.pattern);
let n = 0;
for await (const line of createInterface({ input: process.stdin })) {
  const ev = JSON.parse(line);
  if (!kinds.has(ev.event) || !instant.test(ev.time)) throw new Error(`not a timerstack event: ${line}`);
  n++;
}
console.log(`${n} events, each of a kind the schema knows`);
