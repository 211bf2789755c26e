import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestApi, parseListen, type ApiAddress } from '../../../src/agent/api/index.js';
import type { ReadingInput } from '../../../src/agent/readingInput.js';
import { AgentError, ErrorCode } from '../../../src/errors.js';

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

function call(address: ApiAddress, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = address.kind === 'unix' ? { socketPath: address.path } : { host: address.host, port: address.port };
    const req = request({ ...target, method, path, headers: body === undefined ? {} : { 'Content-Type': contentType } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : (JSON.parse(text) as unknown) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('local ingest API', () => {
  const received: ReadingInput[] = [];
  let healthy = true;
  const api = new IngestApi({
    submitReport: (input) => (received.push(input), { id: received.length, dropped: 0 }),
    state: () => ({ smpp: { state: 'bound' }, outbox: { queued: received.length } }),
    health: () => ({ ok: healthy, database: healthy }),
  });
  let address: ApiAddress;

  before(async () => {
    address = await api.listen(parseListen('127.0.0.1:0'));
  });
  after(() => api.close());

  it('queues a valid report and answers 201 with its id', async () => {
    const reply = await call(address, 'POST', '/reports', JSON.stringify({ kind: 'telemetry', priority: 'high', data: { T: 21.5, door: 'open', ok: true } }));
    assert.deepEqual(reply, { status: 201, body: { id: 1, dropped: 0 } });
    assert.deepEqual(received.at(-1), { kind: 'telemetry', priority: 'high', data: { T: 21.5, door: 'open', ok: true } });
  });

  it('answers bad input with 400 naming the field, and queues nothing', async () => {
    const before = received.length;
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      ['{not json', /not JSON/],
      ['[1,2]', /must be a JSON object/],
      [JSON.stringify({ kind: 'Telemetry', data: {} }), /kind must match/],
      [JSON.stringify({ kind: 'telemetry', data: { T: 'x'.repeat(1001) } }), /data\.T must be/],
      [JSON.stringify({ kind: 'telemetry', data: { T: null } }), /data\.T must be/],
      [JSON.stringify({ kind: 'telemetry', priority: 'urgent', data: {} }), /priority must be one of/],
      [JSON.stringify({ kind: 'telemetry', data: {}, extra: 1 }), /unknown field extra/],
      [JSON.stringify({ kind: 'telemetry', ttlS: 0, data: {} }), /ttlS must be/],
      [JSON.stringify({ kind: 'telemetry', data: { 'bad name': 1 } }), /field name/],
    ];
    for (const [body, message] of cases) {
      const reply = await call(address, 'POST', '/reports', body);
      assert.equal(reply.status, 400, body);
      assert.match((reply.body as { error: { message: string } }).error.message, message);
    }
    assert.equal(received.length, before);
  });

  it('refuses other content types, oversized bodies, wrong methods and unknown paths', async () => {
    assert.equal((await call(address, 'POST', '/reports', 'kind=telemetry', 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await call(address, 'POST', '/reports', JSON.stringify({ kind: 'telemetry', data: { s: 'x'.repeat(70000) } }))).status, 413);
    assert.equal((await call(address, 'GET', '/reports')).status, 405);
    assert.equal((await call(address, 'POST', '/state', '{}')).status, 405);
    assert.equal((await call(address, 'GET', '/nowhere')).status, 404);
  });

  it('serves the state and the health, 503 when unhealthy', async () => {
    assert.deepEqual((await call(address, 'GET', '/state')).body, { smpp: { state: 'bound' }, outbox: { queued: received.length } });
    assert.deepEqual(await call(address, 'GET', '/healthz'), { status: 200, body: { ok: true, database: true } });
    healthy = false;
    assert.deepEqual(await call(address, 'GET', '/healthz'), { status: 503, body: { ok: false, database: false } });
    healthy = true;
  });

  it('answers a reading the damaged database could not store with 503 Store_Corrupt (try again), not a 500', async () => {
    const damaged = new IngestApi({
      submitReport: () => {
        throw new AgentError('the database was found damaged and is being set aside and replaced: the reading was not stored; try again in a moment', ErrorCode.Store_Corrupt);
      },
      state: () => ({}),
      health: () => ({ ok: false }),
    });
    const at = await damaged.listen(parseListen('127.0.0.1:0'));
    try {
      const reply = await call(at, 'POST', '/reports', JSON.stringify({ kind: 'telemetry', data: { T: 1 } }));
      assert.equal(reply.status, 503);
      assert.equal((reply.body as { error: { code: string } }).error.code, 'Store_Corrupt');
    } finally {
      await damaged.close();
    }
  });

  it('listens on a Unix socket (mode 0660), refusing one another server answers on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-api-'));
    const path = join(dir, 'api.sock');
    const unixApi = new IngestApi({ submitReport: () => ({ id: 9, dropped: 0 }), state: () => ({}), health: () => ({ ok: true }) });
    const first = new IngestApi({ submitReport: () => ({ id: 0, dropped: 0 }), state: () => ({}), health: () => ({ ok: true }) });
    try {
      await first.listen({ kind: 'unix', path });
      await assert.rejects(unixApi.listen({ kind: 'unix', path }), /another process answers on/);
      await first.close();
      await unixApi.listen({ kind: 'unix', path });
      assert.equal(statSync(path).mode & 0o777, 0o660);
      assert.deepEqual(await call({ kind: 'unix', path }, 'POST', '/reports', JSON.stringify({ kind: 'alarm', data: {} })), { status: 201, body: { id: 9, dropped: 0 } });
    } finally {
      await first.close();
      await unixApi.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts only local listen addresses', () => {
    assert.deepEqual(parseListen('127.0.0.1:8787'), { kind: 'tcp', host: '127.0.0.1', port: 8787 });
    assert.deepEqual(parseListen('[::1]:1'), { kind: 'tcp', host: '::1', port: 1 });
    assert.deepEqual(parseListen('unix:/run/x.sock'), { kind: 'unix', path: '/run/x.sock' });
    assert.throws(() => parseListen('0.0.0.0:8787'), /must be 127\.0\.0\.1:PORT/);
    assert.throws(() => parseListen('127.0.0.1:99999'), /must be 127\.0\.0\.1:PORT/);
  });
});
