#!/bin/sh
# Check a table of timers and print its plan, then serve it until every timer is done.
#   sh examples/run-a-table.sh
set -e
here=$(dirname "$0")
timerstack run "$here/timers.txt" --check
timerstack run "$here/timers.txt" --json | grep -c '"event":"tick"'  # 4: the ticks of "fast"
