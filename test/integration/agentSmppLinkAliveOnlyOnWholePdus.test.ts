/**
 * The agent's SMPP link is alive only while whole PDUs arrive. Against real TCP servers that bind
 * and then misbehave, a real agent process
 * - sends enquire_link after its idle time although a byte a second keeps arriving, then drops the
 *   link (the PDU never completes within the response timeout) and binds again;
 * - answers a PDU announcing 4 GB with generic_nack (ESME_RINVCMDLEN), drops the link at once
 *   instead of skipping 4 GB, and binds again.
 * Reports posted meanwhile still reach an SMSC that behaves.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandStatus, type Pdu } from '../../src/smpp/index.js';
import { AgentProcess, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { rawPdu, startRawSmsc, type RawSmsc } from '../helpers/rawSmsc.js';

const isBind = (pdu: Pdu): boolean => pdu.command === 'bind_transceiver';

function agentFor(smsc: RawSmsc, dir: string): { agent: AgentProcess; api: string } {
  const api = join(dir, 'api.sock');
  const config = writeAgentConfig(dir, [
    'device: { id: pi-live }',
    'location: { enabled: false }',
    'modem: { enabled: false }',
    'mqtt: { enabled: false }',
    // Idle 3 s, a PDU must complete within 2.9 s; reconnect fast.
    `smpp: { url: "smpp://edge:secret@127.0.0.1:${smsc.port}?bind=trx", destination: "+447700900000", responseTimeoutMs: 2900, enquireLinkS: 3, reconnectMinS: 0.1, reconnectMaxS: 1 }`,
    `store: { path: "${join(dir, 'agent.db')}" }`,
    `api: { listen: "unix:${api}" }`,
    'log: { level: debug }',
  ]);
  return { agent: new AgentProcess(config), api };
}

describe('SMPP liveness counts whole PDUs, not bytes', () => {
  it('a server trickling one byte a second gets enquire_link after the idle time, then the link is dropped and bound again', async () => {
    const timers = new Set<NodeJS.Timeout>();
    // Each connection: from 1 s after the bind, the bytes of an enquire_link, one a second (16 s for
    // the PDU). Counting bytes, the link never looks idle for 3 s; counting PDUs, it is idle at 3 s
    // (enquire_link) and the PDU begun at 1 s has stalled at 3.9 s.
    const trickle = (socket: Socket): void => {
      const bytes = rawPdu(0x00000015, 4242);
      let sent = 0;
      const start = setTimeout(() => {
        const tick = setInterval(() => {
          if (socket.destroyed || sent >= bytes.length) return void clearInterval(tick);
          socket.write(bytes.subarray(sent, sent + 1));
          sent++;
        }, 1000);
        timers.add(tick);
      }, 0);
      timers.add(start);
    };
    const smsc = await startRawSmsc({ answerEnquireLink: false, afterBind: trickle });
    const dir = mkdtempSync(join(tmpdir(), 'esa-live-'));
    const { agent, api } = agentFor(smsc, dir);
    try {
      agent.start();
      await waitForApi(api, 60_000);
      await until(() => smsc.received.filter(isBind).length >= 2, 20_000, 'a second bind after the first link was dropped');
      const firstRebind = smsc.received.findIndex((pdu, i) => isBind(pdu) && i > 0);
      const beforeRebind = smsc.received.slice(0, firstRebind);
      assert.ok(beforeRebind.some((pdu) => pdu.command === 'enquire_link'), `enquire_link went out on the first link while bytes trickled: ${beforeRebind.map((pdu) => pdu.command).join(', ')}`);
      const dead = agent.logs.find((entry) => /did not complete within 2900 ms|enquire_link not answered/.test(JSON.stringify(entry)));
      assert.ok(dead !== undefined, 'the agent says why it dropped the link');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      for (const timer of timers) clearTimeout(timer);
      if (agent.running) await agent.kill('SIGKILL');
      await smsc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a server announcing a 4 GB PDU gets generic_nack and the link is dropped at once, then bound again', async () => {
    const announce = (socket: Socket): void => {
      // deliver_sm, command_length 0xFFFFFFFF, then a few body bytes: the rest never comes.
      socket.write(Buffer.concat([rawPdu(0x00000005, 77, Buffer.alloc(0), 0xffffffff), Buffer.from('abcdef')]));
    };
    const smsc = await startRawSmsc({ afterBind: announce });
    const dir = mkdtempSync(join(tmpdir(), 'esa-live-'));
    const { agent, api } = agentFor(smsc, dir);
    try {
      agent.start();
      await waitForApi(api, 60_000);
      const nack = await smsc.next((pdu) => pdu.command === 'generic_nack', 15_000);
      assert.equal(nack.command_status, CommandStatus.ESME_RINVCMDLEN);
      assert.equal(nack.sequence_number, 77);
      // Dropped at once (well before the 3 s idle time or the 2.9 s stall), bound again after the back-off.
      await until(() => smsc.received.filter(isBind).length >= 2, 10_000, 'a second bind');
      const firstRebind = smsc.received.findIndex((pdu, i) => isBind(pdu) && i > 0);
      assert.ok(!smsc.received.slice(0, firstRebind).some((pdu) => pdu.command === 'enquire_link'), 'the link was dropped before any idle check');
      assert.ok(agent.logs.some((entry) => /announced a PDU of 4294967295 octets/.test(JSON.stringify(entry))), 'the agent says why');
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await smsc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
