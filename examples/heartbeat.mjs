// A drift-free heartbeat: five ticks 20 ms apart, the first at once; the kernel keeps the grid,
// and a late wake-up reports the ticks it missed in `expirations` instead of losing them.
//   node examples/heartbeat.mjs
import { every } from 'timerstack';

for await (const ev of every('20ms', { after: 0n, count: 5 })) {
  console.log(`tick ${ev.tick}${ev.expirations > 1 ? ` (${ev.expirations - 1} missed)` : ''}`);
}
console.log('done');
