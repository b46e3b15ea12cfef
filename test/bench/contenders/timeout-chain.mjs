// A setTimeout chain re-armed from "now" after each tick (drifts by design).
//   timeout-chain.mjs PERIOD_MS COUNT
const [period, count] = process.argv.slice(2).map(Number);
let tick = 0;
const next = () => {
  process.stdout.write(`tick ${++tick}\n`);
  if (tick < count) setTimeout(next, period);
};
setTimeout(next, period);
