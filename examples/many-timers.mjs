// 10,000 timers on one Loop: timers with the same schedule share a timerfd, so this holds far
// fewer fds than timers. Each fires twice, then the loop is closed.
//   node examples/many-timers.mjs
import { Loop } from 'timerstack';

const loop = new Loop();
const timers = 10_000;
let done = 0;
await new Promise((resolve) => {
  const handler = (ev) => {
    if (ev.tick < 2) return;
    ev.timer.cancel();
    if (++done === timers) resolve();
  };
  // Ten schedules: 10, 11, … 19 ms.
  loop.addAll(Array.from({ length: timers }, (_, i) => ({ options: { interval: `${10 + (i % 10)}ms` }, handler })));
  console.log(`${loop.size} timers on ${loop.fdCount} timerfds`);
});
loop.close();
console.log(`${done} timers fired twice`);
