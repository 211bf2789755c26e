/**
 * Runs the real `edge-sms-agent report` command COUNT times in this process (each call opens and
 * closes the database, as separate CLI invocations do) and prints each id it was given.
 *
 *   node --import tsx test/fakes/cliReportWriter.ts DB COUNT TAG CONFIG
 */
import { writeSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../helpers/cli.js';

const [db, countText, tag, config] = process.argv.slice(2);
if (db === undefined || countText === undefined || tag === undefined || config === undefined) {
  process.stderr.write('usage: cliReportWriter DB COUNT TAG CONFIG\n');
  process.exit(2);
}
const priorities = ['critical', 'high', 'normal', 'low'] as const;
let failures = 0;
for (let i = 0; i < Number(countText); i++) {
  const captured = captureIo();
  const code = await main(['report', '--kind', 'telemetry', '--priority', priorities[i % 4]!, '--data', JSON.stringify({ tag: `${tag}-${i}` }), '--config', config, '--db', db], captured.io);
  await new Promise((resolve) => setImmediate(resolve));
  if (code !== 0) {
    failures += 1;
    process.stderr.write(`report ${i} failed (${code}): ${captured.err()}`);
  } else {
    writeSync(1, `${tag}-${i} ${captured.out().trim()}\n`);
  }
}
process.exitCode = failures === 0 ? 0 : 1;
