/**
 * `scripts/install.sh --dry-run` on a fake system: an os-release for Debian 12 "bookworm" or 13
 * "trixie" and a fake `node` printing a version. On bookworm with Node 18 (or none) it stops first,
 * before any package or file, with the documented way to get Node 20; on trixie it decides to use
 * Debian's nodejs; with Node 20 present it installs no Node package. It names who builds (the
 * checkout's owner, never root's files in the checkout) and changes nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const script = new URL('../../scripts/install.sh', import.meta.url).pathname;

function fakeSystem(codename: string, nodeVersion: string | null): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'esa-install-'));
  const osRelease = join(dir, 'os-release');
  writeFileSync(osRelease, `PRETTY_NAME="Debian GNU/Linux"\nID=debian\nVERSION_CODENAME=${codename}\n`);
  const node = join(dir, 'node');
  if (nodeVersion !== null) {
    writeFileSync(node, `#!/bin/sh\necho ${nodeVersion}\n`);
    chmodSync(node, 0o755);
  }
  return { dir, env: { ...process.env, EDGE_SMS_INSTALL_OS_RELEASE: osRelease, EDGE_SMS_INSTALL_NODE: node } };
}

function dryRun(codename: string, nodeVersion: string | null): { code: number | null; out: string; err: string } {
  const system = fakeSystem(codename, nodeVersion);
  try {
    const result = spawnSync('bash', [script, '--dry-run'], { env: system.env, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, out: result.stdout, err: result.stderr };
  } finally {
    rmSync(system.dir, { recursive: true, force: true });
  }
}

describe('install.sh decides before it touches anything', () => {
  for (const node of ['v18.19.0', null]) {
    it(`bookworm with ${node ?? 'no node'}: stops first with the documented way to Node 20`, () => {
      const result = dryRun('bookworm', node);
      assert.equal(result.code, 1, result.err);
      assert.match(result.err, /Node\.js >= 20 is needed; this system has .*\(bookworm\)/);
      assert.match(result.err, /deb\.nodesource\.com\/setup_20\.x/);
      assert.match(result.err, /Nothing was changed/);
      assert.doesNotMatch(result.out, /would run|packages to install/, 'no decision past the Node check');
    });
  }

  it("trixie without node: Debian's nodejs and npm, then the build as the checkout's owner", () => {
    const result = dryRun('trixie', null);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /packages to install: nodejs npm/);
    assert.match(result.out, /would run: .*apt-get install .*nodejs npm/);
    assert.match(result.out, new RegExp(`build as: ${userInfo().username} `));
    assert.match(result.out, /would run: .*npm ci --omit=dev --ignore-scripts/, 'the addon is built once, in the checkout');
    assert.match(result.out, /would run: systemctl enable edge-sms-agent\.service/);
    assert.match(result.out, /dry run: nothing was changed\./);
  });

  it('trixie with Node 20: no Node package', () => {
    const result = dryRun('trixie', 'v20.19.2');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /node: v20\.19\.2/);
    assert.doesNotMatch(result.out, /packages to install: .*nodejs/);
  });

  it('the unit it installs gives up on a broken config or a crash loop (start limit)', () => {
    const unit = readFileSync(new URL('../../systemd/edge-sms-agent.service', import.meta.url), 'utf8');
    // A broken config exits 1 (agentDegradesGracefully.test.ts) like any failed start: the start limit ends the restarts.
    assert.match(unit, /^\[Unit\][^[]*^StartLimitIntervalSec=\d+$[^[]*^StartLimitBurst=\d+$/m);
  });
});
