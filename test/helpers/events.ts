// The NDJSON event schema (schema/events.json), compiled once per test process with ajv. The
// spawn helper (binary.ts) checks every event line the real binary writes, so an event the
// schema does not describe (a new kind, a field of the wrong type) fails the test that made it.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

export const SCHEMA_PATH = new URL('../../schema/events.json', import.meta.url);
export const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as {
  oneOf: Array<{ $ref: string }>;
  $defs: Record<string, { properties?: { event?: { const?: string } } }>;
};

let validator: ValidateFunction | undefined;

export function validateEvent(value: unknown): ErrorObject[] {
  validator ??= new Ajv2020({ discriminator: true, strict: true, allErrors: true }).compile(schema);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

// The event kinds the schema knows, from its oneOf.
export function schemaKinds(): string[] {
  return schema.oneOf.map((r) => schema.$defs[r.$ref.replace('#/$defs/', '')]!.properties!.event!.const!);
}

// The lines of `text` that are event objects (JSON with a string `event`), parsed.
export function eventLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (value && typeof value === 'object' && typeof (value as { event?: unknown }).event === 'string') out.push(value as Record<string, unknown>);
  }
  return out;
}

// Throws, naming the line and what is wrong, for an event line the schema refuses.
export function assertEvents(text: string, where: string): void {
  for (const event of eventLines(text)) {
    const errors = validateEvent(event);
    if (errors.length === 0) continue;
    const why = errors.map((e) => `${e.instancePath || '(event)'} ${e.message}${e.params && 'tagValue' in e.params ? ` (${String(e.params.tagValue)})` : ''}`).join('; ');
    throw new Error(`${where}: an NDJSON event that schema/events.json does not describe: ${JSON.stringify(event)}: ${why}. Describe it there and in docs/events.md.`);
  }
}
