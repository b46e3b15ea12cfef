// Wait 50 ms on a kernel timer, then say how late the wake-up was.
//   node examples/wait-once.mjs
import { once } from 'timerstack';

const ev = await once('50ms');
console.log(`fired: tick ${ev.tick}, ${ev.latenessUs.toFixed(0)} µs after it was due`);
