import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type * as PackageApi from '../../../src/index.js';

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
});
