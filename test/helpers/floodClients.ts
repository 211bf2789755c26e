/**
 * Junk for the agent-level flood test from the fleet's and the host's side: MQTT commands that are
 * malformed, mistyped, unknown, oversize, deeply nested, one of 30 MB, at a high rate; and local API
 * requests with oversize bodies, bad JSON, wrong types, unknown paths, slow-loris headers and many idle
 * connections. Each runs until a deadline and counts what it did and what came back.
 */
import { createConnection, type Socket } from 'node:net';
import { request } from 'node:http';
import type { MqttClient } from 'mqtt';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** QoS 0 junk on `<prefix>/<device>/cmd/*` (and the fleet-wide topic), plus two 30 MB commands at QoS 1. */
export async function floodMqtt(client: MqttClient, commandRoot: string, options: { readonly untilMs: number; readonly perTick: number; readonly tickMs: number }): Promise<number> {
  const payloads: Array<[string, string | Buffer]> = [
    ['report', '{"kind":"telemetry","data":'],
    ['report', '{"kind":5,"data":"T"}'],
    ['send-sms', '{"to":12345,"text":["a"]}'],
    ['explode', '{"requestId":"x"}'],
    ['report', `{"kind":"telemetry","data":{"s":"${'x'.repeat(70_000)}"}}`],
    ['report', `{"kind":"telemetry","data":{"s":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`],
    ['queue', JSON.stringify({ action: 'purge', ids: Array.from({ length: 3000 }, (_, i) => String(i)) })],
    ['set-config', '{"values":{"smpp.url":"smpp://evil"}}'],
    ['get-state', Buffer.from([0xff, 0xfe, 0x00, 0x7b])],
  ];
  let count = 0;
  const big = `{"kind":"telemetry","data":{"s":"${'x'.repeat(30_000_000)}"}}`;
  const bigOnes = [client.publishAsync(`${commandRoot}/report`, big, { qos: 1 })];
  while (Date.now() < options.untilMs) {
    for (let i = 0; i < options.perTick; i++, count++) {
      const [name, payload] = payloads[count % payloads.length] ?? ['get-state', '{}'];
      client.publish(`${commandRoot}/${name}`, payload, { qos: 0 });
    }
    if (bigOnes.length === 1 && count > 1000) bigOnes.push(client.publishAsync(`${commandRoot}/send-sms`, big, { qos: 1 }));
    await tick(options.tickMs);
  }
  await Promise.all(bigOnes);
  return count + bigOnes.length;
}

export interface ApiFloodResult {
  /** Replies by HTTP status. */
  readonly statuses: Map<number, number>;
  readonly slowLoris: number;
  readonly idleConnections: number;
}

function post(socketPath: string, path: string, body: string | Buffer, contentType = 'application/json'): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ socketPath, method: 'POST', path, headers: { 'Content-Type': contentType } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(-1));
    req.end(body);
  });
}

/** Junk requests, a few at a time, until the deadline; slow-loris sockets and idle connections held open meanwhile. */
export async function floodApi(socketPath: string, options: { readonly untilMs: number; readonly slowLoris: number; readonly idleConnections: number }): Promise<ApiFloodResult> {
  const statuses = new Map<number, number>();
  const held: Socket[] = [];
  const open = (): Socket => {
    const socket = createConnection({ path: socketPath });
    socket.on('error', () => undefined);
    held.push(socket);
    return socket;
  };
  for (let i = 0; i < options.idleConnections; i++) open();
  const loris = Array.from({ length: options.slowLoris }, () => {
    const socket = open();
    socket.write('POST /reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n');
    return socket;
  });
  const dribble = setInterval(() => {
    for (const socket of loris) if (!socket.destroyed) socket.write('X-a: b\r\n');
  }, 500);
  const oversize = Buffer.alloc(1024 * 1024, 0x20);
  const junk: Array<() => Promise<number>> = [
    () => post(socketPath, '/reports', oversize),
    () => post(socketPath, '/reports', '{"kind":"telemetry",'),
    () => post(socketPath, '/reports', '{"kind":7,"data":[1,2]}'),
    () => post(socketPath, '/reports', 'kind=telemetry', 'application/x-www-form-urlencoded'),
    () => post(socketPath, '/nowhere', '{}'),
    () => post(socketPath, '/reports', `{"kind":"telemetry","data":{"s":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`),
  ];
  let n = 0;
  try {
    while (Date.now() < options.untilMs) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => junk[n++ % junk.length]?.() ?? Promise.resolve(0)));
      for (const status of batch) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  } finally {
    clearInterval(dribble);
    for (const socket of held) socket.destroy();
  }
  return { statuses, slowLoris: options.slowLoris, idleConnections: options.idleConnections };
}
