// Translating the timers of an export and writing the result: every refusal on stderr (one line
// each, naming the timer) and nothing written; else the units on stdout or into --dir, or the
// CronJobs as YAML documents on stdout.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, TimerstackError, UsageError } from '../errors.js';
import { MARKER, type ExportFile } from '../export/common.js';
import { checkName, cronJob, type Manifest } from '../export/kubernetes.js';
import { systemdUnits } from '../export/systemd.js';
import type { TimerSpec } from '../kinds/kind.js';
import { line, type ExitResult, type Io } from './io.js';

export type ExportTarget = 'systemd' | 'kubernetes';

export interface ExportRequest {
  target: ExportTarget;
  // The export's own options (--user, --dir, --image, --namespace) as given.
  options: Map<string, string | true>;
  cwd: string;
}

export interface ExportEntry {
  // How refusals name it: "NAME", or "FILE:LINE: NAME".
  label: string;
  // The timer as written, for the comment in what is written.
  source: string;
  spec: TimerSpec;
}

// Translates every entry, then writes all of it or (after any refusal) nothing.
export async function writeExport(request: ExportRequest, entries: readonly ExportEntry[], io: Io): Promise<ExitResult> {
  const { target, options } = request;
  const image = options.get('image');
  const namespace = options.get('namespace');
  if (target === 'kubernetes') {
    if (typeof image !== 'string' || image === '') throw new UsageError('export kubernetes: --image IMAGE is needed (the container image that has the commands)');
    if (typeof namespace === 'string') checkName(namespace, '--namespace', 63, 'a DNS label');
  }
  const refusals: string[] = [];
  const results = entries.map((entry) => {
    const ctx = { cwd: request.cwd, source: entry.source };
    try {
      if (target === 'systemd') return systemdUnits(entry.spec, ctx, { user: options.has('user') });
      return cronJob(entry.spec, ctx, { image: image as string, ...(typeof namespace === 'string' ? { namespace } : {}) });
    } catch (err) {
      if (!(err instanceof TimerstackError)) throw err;
      refusals.push(`${entry.label}: ${err.message}`);
      return undefined;
    }
  });
  if (refusals.length > 0) {
    for (const text of refusals) line(io.stderr, `timerstack: export ${target}: ${text}`);
    return { code: EXIT.usage };
  }
  if (target === 'kubernetes') {
    io.stdout.write(await yamlDocuments(results as Manifest[], entries));
    return { code: EXIT.ok };
  }
  const files = (results as ExportFile[][]).flat();
  const dir = options.get('dir');
  if (typeof dir === 'string') return writeUnits(dir, files, options.has('user'), io);
  io.stdout.write(files.map((f) => `# ${f.name}\n${f.text}`).join('\n'));
  return { code: EXIT.ok };
}

// The manifests as one YAML stream, each document headed by where it came from. `yaml` is
// loaded here only (about 30 ms).
async function yamlDocuments(manifests: readonly Manifest[], entries: readonly ExportEntry[]): Promise<string> {
  const { stringify } = await import('yaml');
  return manifests
    .map((m, i) => `---\n# ${MARKER} kubernetes from: ${entries[i]!.source.replace(/\p{Cc}/gu, ' ')}\n${stringify(m, { lineWidth: 0 })}`)
    .join('');
}

// Writes the units into `dir` (each through a temporary file and a rename). A file there that
// timerstack did not write is not overwritten: the export is refused before anything is written.
function writeUnits(dir: string, files: readonly ExportFile[], user: boolean, io: Io): ExitResult {
  for (const f of files) {
    const existing = readExisting(path.join(dir, f.name));
    if (existing !== undefined && !existing.split('\n', 1)[0]!.includes(MARKER)) {
      throw new UsageError(`export systemd: ${path.join(dir, f.name)} exists and was not written by timerstack (remove it or choose another --dir)`);
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const target = path.join(dir, f.name);
      const temp = `${target}.timerstack-${process.pid}`;
      writeFileSync(temp, f.text, { mode: 0o644 });
      renameSync(temp, target);
      line(io.stdout, target);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new TimerstackError(e.code ?? 'EIO', `export systemd: cannot write into ${dir}: ${e.message.split('\n')[0]}`);
  }
  const systemctl = user ? 'systemctl --user' : 'systemctl';
  const timers = files.filter((f) => f.name.endsWith('.timer')).map((f) => f.name);
  line(io.stderr, `timerstack: to start them: ${systemctl} daemon-reload && ${systemctl} enable --now ${timers.join(' ')}`);
  return { code: EXIT.ok };
}

function readExisting(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new UsageError(`export systemd: cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
}
