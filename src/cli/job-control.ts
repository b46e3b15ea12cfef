// Job control for a served schedule. Ctrl-Z (SIGTSTP) stops every command's process group, then
// timerstack itself: with a handler installed SIGTSTP no longer stops it, so it sends itself
// SIGSTOP, and the shell sees the job stopped. SIGCONT (fg, bg, kill -CONT) continues the groups.
// While stopped nothing runs or is armed anew; the kernel goes on counting expirations, and the
// first wake-up after fg reports them (as missed ticks when a command runs).
import type { Supervisor } from '../supervise/supervisor.js';
import type { Io } from './io.js';

// Installs the handlers; returns what removes them.
export function watchJobControl(io: Io, schedule: Supervisor, stopSelf: () => void = () => process.kill(process.pid, 'SIGSTOP')): () => void {
  const onStop = () => {
    schedule.relay('SIGTSTP');
    stopSelf();
  };
  const onContinue = () => schedule.relay('SIGCONT');
  io.signals.on('SIGTSTP', onStop);
  io.signals.on('SIGCONT', onContinue);
  return () => {
    io.signals.off('SIGTSTP', onStop);
    io.signals.off('SIGCONT', onContinue);
  };
}
