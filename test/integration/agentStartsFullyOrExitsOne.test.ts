/**
 * The agent starts fully or not at all. Each fatal start error — an SMPP URL the client would
 * refuse, an enabled SMPP link without a URL, credentials inside mqtt.url, a config that cannot be
 * read, a database that will not open, an API address in use, a modem profile that does not exist
 * (found after the API is already listening) — ends a real `run` process with exit code 1 and a
 * message naming the key and the fix. Nothing is left behind answering the API.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, callApi } from '../helpers/agentProcess.js';

const exitWithinMs = 30_000;

interface Case {
  readonly name: string;
  /** Config lines; `DIR` is replaced by the case's directory. */
  readonly lines: readonly string[];
  readonly expected: RegExp;
  /** Text that must not appear in the output (a password). */
  readonly secret?: string;
  /** Replaces the config file's path (an unreadable config). */
  readonly configPath?: (dir: string) => string;
}

const base = ['device: { id: pi-start }', 'location: { enabled: false }', 'modem: { enabled: false }', 'mqtt: { enabled: false }', 'log: { level: warn }'];
const smpp = (query: string): string => `smpp: { url: "smpp://edge:Pw0rdX1@127.0.0.1:9?${query}", destination: "+447700900000" }`;

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectExitOne(testCase: Case, extraLines: readonly string[] = []): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-start-'));
  const api = join(dir, 'api.sock');
  try {
    const lines = [...base.filter((line) => !testCase.lines.some((given) => given.split(':')[0] === line.split(':')[0])), ...testCase.lines, ...extraLines]
      .map((line) => line.replaceAll('DIR', dir));
    if (!lines.some((line) => line.startsWith('store:'))) lines.push(`store: { path: "${join(dir, 'agent.db')}" }`);
    if (!lines.some((line) => line.startsWith('api:'))) lines.push(`api: { listen: "unix:${api}" }`);
    const file = join(dir, 'config.yaml');
    writeFileSync(file, lines.join('\n'));
    const agent = new AgentProcess(testCase.configPath?.(dir) ?? file);
    agent.start();
    const exit = await withTimeout(agent.exited(), exitWithinMs, `${testCase.name}: the agent to exit`);
    const output = [...agent.raw, ...agent.logs.map((entry) => JSON.stringify(entry))].join('\n');
    assert.equal(exit.code, 1, `${testCase.name}: exit code; output:\n${output}`);
    assert.match(output, testCase.expected, testCase.name);
    assert.match(agent.raw.join('\n'), /^edge-sms-agent run: /m, `${testCase.name}: one plain line saying why`);
    if (testCase.secret !== undefined) assert.ok(!output.includes(testCase.secret), `${testCase.name}: the secret leaked:\n${output}`);
    assert.equal(await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 1 } }).then((reply) => reply.status, () => 'no answer'), 'no answer',
      `${testCase.name}: nothing answers the API`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the agent starts fully or exits 1', () => {
  const cases: Case[] = [
    { name: 'window=0', lines: [smpp('window=0')], expected: /smpp\.url: window must be an integer 1\.\.1000, got '0'; fix the URL/, secret: 'Pw0rdX1' },
    { name: 'bind=foo', lines: [smpp('bind=foo')], expected: /smpp\.url: bind must be tx, rx or trx, got 'foo'/, secret: 'Pw0rdX1' },
    { name: 'an unknown URL parameter', lines: [smpp('windw=5')], expected: /smpp\.url: unknown parameter 'windw'/, secret: 'Pw0rdX1' },
    { name: 'smpp enabled without a URL', lines: ['smpp: { destination: "+447700900000" }'], expected: /smpp\.url: is required while smpp\.enabled is true: set smpp\.url \(or EDGE_SMS_SMPP_URL\)/ },
    {
      name: 'credentials in mqtt.url',
      lines: [smpp('bind=trx'), 'mqtt: { url: "mqtt://edge:Br0kerPw@127.0.0.1:1883" }'],
      expected: /mqtt\.url: put credentials in mqtt\.username \/ mqtt\.password, not in the URL/,
      secret: 'Br0kerPw',
    },
    {
      name: 'an unreadable config',
      lines: [smpp('bind=trx')],
      // A directory where the file should be: unreadable even for root, who ignores file modes.
      configPath: (dir) => {
        mkdirSync(join(dir, 'config.d'));
        return join(dir, 'config.d');
      },
      expected: /config file .*config\.d cannot be read \(EISDIR\): create it from firmware-config\/agent\/config\.example\.yaml or pass --config PATH/,
    },
    {
      name: 'a database that will not open',
      lines: [smpp('bind=trx'), 'store: { path: "DIR/config.yaml/agent.db" }'],
      expected: /store\.path: cannot open database .*config\.yaml\/agent\.db.*set store\.path/,
    },
    {
      name: 'a modem profile that does not exist (found after the API listens)',
      lines: [smpp('bind=trx'), 'modem: { port: "/dev/null", profile: "no-such-modem" }'],
      expected: /no-such-modem/,
    },
  ];
  for (const testCase of cases) it(`exits 1 naming the key and the fix: ${testCase.name}`, () => expectExitOne(testCase));

  it('exits 1 naming api.listen when its address is in use', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expectExitOne({ name: 'api.listen in use', lines: [smpp('bind=trx'), `api: { listen: "127.0.0.1:${port}" }`], expected: /api\.listen: cannot listen on 127\.0\.0\.1:\d+ .*EADDRINUSE.*choose another api\.listen/ });
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('leaves no API socket behind after a failed start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-start-'));
    try {
      const api = join(dir, 'api.sock');
      writeFileSync(join(dir, 'config.yaml'), [...base.filter((line) => !line.startsWith('modem:')), smpp('bind=trx'), 'modem: { port: "/dev/null", profile: "no-such-modem" }',
        `store: { path: "${join(dir, 'agent.db')}" }`, `api: { listen: "unix:${api}" }`].join('\n'));
      const agent = new AgentProcess(join(dir, 'config.yaml'));
      agent.start();
      assert.equal((await withTimeout(agent.exited(), exitWithinMs, 'the agent to exit')).code, 1);
      assert.equal(existsSync(api), false, 'the API socket was closed and removed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
