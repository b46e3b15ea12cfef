#!/usr/bin/env node
// `npm run soak`: the soak scenario alone (also `npm run bench -- --soak`).
//   node test/bench/soak.js [--json FILE] [--no-crontab]
import { writeFileSync } from 'node:fs';
import { buildHelpers } from './lib/tools.mjs';
import { soak } from './scenarios/soak.mjs';
import { crontabSoak } from './scenarios/crontab.mjs';
import { stressSoak } from './scenarios/soak-stress.mjs';
import { targetsTable } from './lib/report.mjs';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const log = (text) => process.stderr.write(`${text}\n`);
const { tools } = buildHelpers();
const result = await soak(tools, { log });
const stress = await stressSoak({ log });
result.stress = { dyingStderr: stress.dyingStderr, reloadStorm: stress.reloadStorm };
result.text = `${result.text}\n\n${stress.text}`;
result.targets = [...result.targets, ...stress.targets];
const crontab = args.includes('--no-crontab') ? undefined : await crontabSoak({ log });
if (crontab) {
  result.text = `${result.text}\n\n${crontab.text}`;
  result.targets = [...result.targets, ...crontab.targets];
}
process.stdout.write(`${result.text}\n\n${targetsTable(result.targets)}\n`);
if (jsonAt >= 0 && args[jsonAt + 1]) writeFileSync(args[jsonAt + 1], `${JSON.stringify({ soak: result }, null, 2)}\n`);
if (result.targets.some((t) => t.met === false)) process.exitCode = 1;
