import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { brokerSocketFor } from '../../../src/mqtt/brokerSocket.js';

const plain = { rejectUnauthorized: true } as const;

describe('brokerSocketFor', () => {
  it('opens a TCP socket to the host and port of an mqtt:// URL (IPv4 and bracketed IPv6)', async () => {
    for (const [listenOn, urlHost] of [['127.0.0.1', '127.0.0.1'], ['::1', '[::1]']] as const) {
      const accepted: Socket[] = [];
      const server = createServer((socket) => accepted.push(socket));
      await new Promise<void>((resolve) => server.listen(0, listenOn, resolve));
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      try {
        const open = brokerSocketFor(`mqtt://${urlHost}:${port}`, plain, {});
        assert.ok(open, `mqtt://${urlHost} is opened directly`);
        const socket = open();
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        });
        for (let i = 0; i < 50 && accepted.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(accepted.length, 1, 'the server saw the connection');
        socket.destroy();
      } finally {
        for (const socket of accepted) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
  });

  it('leaves to mqtt.js what it handles differently: WebSockets, a SOCKS proxy, mqtt:// with a client certificate', () => {
    assert.equal(brokerSocketFor('ws://broker:8080/mqtt', plain, {}), undefined);
    assert.equal(brokerSocketFor('wss://broker/mqtt', plain, {}), undefined);
    assert.equal(brokerSocketFor('mqtt://broker', plain, { MQTTJS_SOCKS_PROXY: 'socks5://proxy:1080' }), undefined);
    assert.equal(brokerSocketFor('mqtts://broker', plain, { MQTTJS_SOCKS_PROXY: 'socks5://proxy:1080' }), undefined);
    const withCert = { rejectUnauthorized: true, cert: Buffer.from('cert'), key: Buffer.from('key') };
    assert.equal(brokerSocketFor('mqtt://broker', withCert, {}), undefined);
    assert.equal(typeof brokerSocketFor('mqtts://broker', withCert, {}), 'function');
    assert.equal(typeof brokerSocketFor('mqtt://broker', plain, { MQTTJS_SOCKS_PROXY: '' }), 'function');
  });
});
