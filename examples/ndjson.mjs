// The library's events written as the CLI's NDJSON (`timerstack every 10ms --count 3 --json`), one line per
// wake-up (a late one carries several expirations):
// tickRecord() is the projection the command line uses (docs/events.md).
//   node examples/ndjson.mjs | jq .tick
import { every, tickRecord } from 'timerstack';

for await (const ev of every('10ms', { count: 3 })) process.stdout.write(`${JSON.stringify(tickRecord(ev))}\n`);
