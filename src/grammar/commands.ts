// The commands, defined once as data: their usage, positional, description and examples, for
// the word parser, --help, completion and the docs (the options are in options.ts).

export type CommandName = 'once' | 'every' | 'at' | 'cron' | 'calendar' | 'retry' | 'run' | 'next' | 'export' | 'completion';
export type TimerCommand = 'once' | 'every' | 'at' | 'cron' | 'calendar' | 'retry';

export interface CommandDef {
  name: CommandName;
  usage: string;
  // `several`: the positional may be more than one word (once 1m 30s, at tomorrow 09:00).
  positional?: { name: string; describe: string; several?: boolean };
  describe: string;
  examples: ReadonlyArray<readonly [string, string]>;
}

export const COMMANDS: readonly CommandDef[] = [
  {
    name: 'once',
    usage: 'once DURATION... [options] [-- COMMAND [ARG...]]',
    positional: { name: 'DURATION', describe: 'how long to wait; several add up (1m 30s); 0 fires at once; infinity never', several: true },
    describe: 'Wait DURATION, report one event (or run COMMAND and exit with its status).',
    examples: [
      ['timerstack once 10s && make deploy', 'a countdown on a terminal, a plain wait in scripts'],
      ['timerstack once 1h30m -- notify-send "tea"', 'run a command when the time is up'],
    ],
  },
  {
    name: 'every',
    usage: 'every INTERVAL [options] [-- COMMAND [ARG...]]',
    positional: { name: 'INTERVAL', describe: 'the period; the first expiration comes after one interval' },
    describe: 'Report (or run COMMAND) on every expiration of a drift-free periodic timer.',
    examples: [
      ['timerstack every 5s -- ./backup.sh', 'drift-free, overlap-safe periodic runs'],
      ['timerstack every 1s --json | jq .tick', 'events as NDJSON in a pipeline'],
      ['timerstack every 1m --align --count 60 -- date', 'at :00 of each minute, 60 times'],
      ['timerstack every 2s --watch -- df -h /', 'watch(1) on the drift-free grid (on a terminal)'],
    ],
  },
  {
    name: 'at',
    usage: 'at TIME [options] [-- COMMAND [ARG...]]',
    positional: { name: 'TIME', describe: 'HH:MM[:SS[.frac]] (today or tomorrow), today|tomorrow HH:MM, ISO 8601, @EPOCH, now, or +DURATION', several: true },
    describe: 'Fire at a wall-clock time; re-armed for the same instant if the clock is stepped.',
    examples: [
      ['timerstack at 18:00 -- notify-send "go home"', 'today at 18:00, or tomorrow if that is past'],
      ['timerstack at 2030-12-01T09:00:00Z --dry-run', 'show the plan without arming anything'],
    ],
  },
  {
    name: 'cron',
    usage: 'cron EXPR [options] [-- COMMAND [ARG...]]',
    positional: { name: 'EXPR', describe: 'a cron expression: 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first, or @daily and the other nicknames' },
    describe: 'Fire on a cron schedule (cronie\'s rules), on absolute wall-clock timers.',
    examples: [
      ["timerstack cron '*/15 * * * *' -- ./sync.sh", 'every quarter hour'],
      ["timerstack cron '0 30 9 * * Mon-Fri' --tz Europe/Berlin -- ./report.sh", '09:30:00 on weekdays, Berlin time'],
    ],
  },
  {
    name: 'calendar',
    usage: 'calendar EXPR [options] [-- COMMAND [ARG...]]',
    positional: { name: 'EXPR', describe: 'a systemd calendar event (OnCalendar=): "Mon..Fri *-*-* 09:00", "*:0/15", "daily", "*-*-01 03:00 UTC"' },
    describe: 'Fire on a systemd calendar event, exactly as OnCalendar= reads it.',
    examples: [
      ["timerstack calendar 'Mon..Fri *-*-* 09:00' -- ./standup.sh", 'weekdays at 09:00'],
      ['timerstack calendar monthly --persistent ~/.ts/bill -- ./bill.sh', 'monthly; a run missed while not running is caught up'],
    ],
  },
  {
    name: 'retry',
    usage: 'retry [options] -- COMMAND [ARG...]',
    describe: 'Run COMMAND until it succeeds, waiting longer after each failure (exponential backoff).',
    examples: [
      ['timerstack retry -- curl -fsS http://localhost:8080/health', 'up to 10 attempts, waiting 1s, 2s, 4s … between them'],
      ['timerstack retry --for 2m --backoff 500ms:2:10s -- pg_isready', 'for at most 2 minutes, waits from 0.5s doubling up to 10s'],
      ['timerstack retry --attempts 3 --timeout 30s -- ./flaky-test.sh', '3 attempts, each stopped after 30s'],
    ],
  },
  {
    name: 'next',
    usage: 'next KIND SPEC... [-n N] [--from TIME] [--tz ZONE] [--json]',
    positional: { name: 'KIND', describe: 'a timer: once, every, at, cron or calendar, with its spec and options' },
    describe: 'Print the next expirations of a timer spec, one ISO 8601 instant a line; arm nothing.',
    examples: [
      ["timerstack next cron '0 9 * * 1-5' -n 5", 'the next five weekday mornings'],
      ['timerstack next calendar quarterly --tz Asia/Kolkata -n 3', 'computed and shown in a zone'],
    ],
  },
  {
    name: 'run',
    usage: 'run FILE|- [options]',
    positional: { name: 'FILE', describe: 'a table of timers, one per line (- reads standard input)' },
    describe: 'Serve a table of timers, one per line, from one process.',
    examples: [
      ['timerstack run timers.txt', 'every line is "name: once|every|at|cron|calendar SPEC [options] [-- COMMAND]", or a crontab line'],
      ['timerstack run timers.txt --check', 'validate the table and print the plan'],
    ],
  },
  {
    name: 'export',
    usage: 'export systemd|kubernetes TABLE...|SPEC [options]',
    positional: { name: 'systemd|kubernetes', describe: 'systemd (a .timer and a .service per timer) or kubernetes (a CronJob per timer)' },
    describe: 'Write the timers of TABLE files, or one SPEC (once|every|at ... -- COMMAND), as systemd units or Kubernetes CronJobs.',
    examples: [
      ['timerstack export systemd timers.txt --dir ~/.config/systemd/user --user', 'a .timer and .service pair per line'],
      ['timerstack export kubernetes --image app:1 every 5m --align -- ./sync.sh', 'one CronJob as YAML'],
    ],
  },
  {
    name: 'completion',
    usage: 'completion [bash|zsh|fish]',
    describe: 'Print a shell completion script (add `source <(timerstack completion)` to ~/.bashrc).',
    examples: [
      ['timerstack completion zsh > ~/.zfunc/_timerstack', 'completion for zsh'],
      ['timerstack completion fish > ~/.config/fish/completions/timerstack.fish', 'completion for fish'],
    ],
  },
];
