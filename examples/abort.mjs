// Stop a periodic timer from outside with an AbortSignal: the iteration ends with its reason.
//   node examples/abort.mjs
import { every, once } from 'timerstack';

const stop = new AbortController();
once('35ms').then(() => stop.abort(new Error('enough')));
try {
  for await (const ev of every('10ms', { signal: stop.signal })) console.log(`tick ${ev.tick}`);
} catch (err) {
  console.log(`stopped: ${err.message}`);
}
