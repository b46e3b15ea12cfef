// What a Node user writes instead: setInterval, one line per tick.   interval.mjs PERIOD_MS COUNT
const [period, count] = process.argv.slice(2).map(Number);
let tick = 0;
const id = setInterval(() => {
  process.stdout.write(`tick ${++tick}\n`);
  if (tick >= count) clearInterval(id);
}, period);
