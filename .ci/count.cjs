// Prints "N passed, N failed[, N skipped]" from vitest's JSON report.
const fs = require('node:fs');
const file = process.argv[2];
let report;
try {
  report = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`tests: no report (${err.message})`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
  return;
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0 ? 0 : 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const suitesFailed = report.numFailedTestSuites ?? 0;
console.log(`test files failed to run: ${suitesFailed}`);
console.log(`${passed} passed, ${failed + (failed === 0 ? suitesFailed : 0)} failed${skipped ? `, ${skipped} skipped` : ''}`);
