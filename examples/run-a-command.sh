#!/bin/sh
# Run a command three times, 100 ms apart, on the kernel's drift-free schedule; the command is
# told which tick it serves. timerstack exits 0 once --count is reached.
#   sh examples/run-a-command.sh
set -e
timerstack every 100ms --count 3 -- sh -c 'echo "run $TIMERSTACK_TICK of $TIMERSTACK_TIMER"'
# once + a command exits with the command's own status, as timeout(1) does.
status=0
timerstack once 10ms -- sh -c 'exit 3' || status=$?
echo "once exited $status"
