// The library's public types as users get them, from tsc's declarations by API Extractor:
// dist/library.d.ts (one file, members tagged @internal left out) and its CommonJS twin
// dist/library.d.cts; the API model dist/api/timerstack.api.json, from which `npm run docs`
// writes the reference in docs/api/. Every message (an undocumented export, a type a public
// signature names but the package does not export, malformed TSDoc) is printed and written to
// dist/api/messages.json, which test/lib/public-api.test.ts requires to be empty.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = ExtractorConfig.loadFileAndPrepare(path.join(root, 'api-extractor.json'));
const messages = [];
const result = Extractor.invoke(config, {
  localBuild: true,
  messageCallback: (m) => {
    m.handled = true;
    if (m.logLevel === 'none' || m.logLevel === 'verbose' || m.messageId.startsWith('console-')) return;
    if (m.messageId === 'ae-forgotten-export' && onInternalMember(m)) return;
    const where = m.sourceFilePath ? `${path.relative(root, m.sourceFilePath)}:${m.sourceFileLine}` : '';
    messages.push({ id: m.messageId, where, text: m.text });
    process.stderr.write(`api: ${where} ${m.messageId}: ${m.text}\n`);
  },
});
if (result.errorCount > 0) throw new Error(`api: API Extractor failed with ${result.errorCount} errors`);
copyFileSync(path.join(root, 'dist/library.d.ts'), path.join(root, 'dist/library.d.cts'));
mkdirSync(path.join(root, 'dist/api'), { recursive: true });
writeFileSync(path.join(root, 'dist/api/messages.json'), `${JSON.stringify(messages, null, 2)}\n`);

// A type named only by a member tagged @internal (left out of dist/library.d.ts) need not be exported.
function onInternalMember(m) {
  const lines = readFileSync(m.sourceFilePath, 'utf8').split('\n');
  return /@internal/.test(lines[m.sourceFileLine - 2] ?? '');
}
