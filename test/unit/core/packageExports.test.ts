import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as PackageApi from '../../../src/index.js';
import type * as ModemApi from '../../../src/modem/index.js';
import { agentVersion } from '../../../src/version.js';

const dist = new URL('../../../dist/', import.meta.url);

describe("the package as users import it ('edge-sms-agent')", () => {
  it('exports decodeReport and the SMPP codec from the built package', async () => {
    assert.ok(existsSync(new URL('../../../dist/index.js', import.meta.url)), 'dist/ is missing: run `npm run build` (scripts/test.sh does)');
    // A variable specifier keeps the type-checker from needing dist/ (lint runs before the build).
    const packageName: string = 'edge-sms-agent';
    const pkg = (await import(packageName)) as typeof PackageApi;
    const message = pkg.decodeReport('ESA1 d=42 s=1 t=1732212345;t T21.5');
    assert.deepEqual(message.readings, [{ kind: 'telemetry', time: 1732212345, fields: { T: 21.5 } }]);
    assert.equal(typeof pkg.decodePdu, 'function');
    assert.equal(typeof pkg.ReportReceiver, 'function');
    assert.ok(pkg.isAgentError(new pkg.AgentError('x', pkg.ErrorCode.Report_Malformed)));
  });

  // The build bundles each part into one module (scripts/bundleParts.ts): these run the bundles.
  it('runs the built CLI (node dist/cli/main.js), lazy command chunks included', () => {
    const printed = execFileSync(process.execPath, [fileURLToPath(new URL('cli/main.js', dist)), 'version'], { encoding: 'utf8' });
    assert.match(printed, new RegExp(agentVersion.replaceAll('.', '\\.')));
  });

  it('finds the shipped firmware-config/ from the bundled modem part', async () => {
    const modemPath: string = new URL('modem/index.js', dist).href;
    const modem = (await import(modemPath)) as typeof ModemApi;
    assert.equal(modem.defaultProfileDir, fileURLToPath(new URL('../firmware-config/', dist)));
    assert.ok(modem.listProfiles().includes('generic-3gpp'));
  });
});
