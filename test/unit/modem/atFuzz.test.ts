/**
 * Fuzzing of the AT line parser: 120,000 seeded cases of real-looking fragments, mangled and mixed with
 * random bytes, pushed through the framer in random chunks, each line then classified as final result /
 * URC / registration / fields. Nothing may throw; the whole run is bounded in time (no hang).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { AtFramer } from '../../../src/modem/at/framer.js';
import { parseFinalResult } from '../../../src/modem/at/results.js';
import { isSolicitedRegistration, parseRegistration, parseUrc, urcBody, urcKindOf } from '../../../src/modem/at/urc.js';
import { splitFields, splitPrefix } from '../../../src/modem/at/fields.js';
import { AtChannel } from '../../../src/modem/at/channel.js';
import { isAgentError } from '../../../src/errors.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { randomSource } from '../../helpers/random.js';

const fragments = [
  '\r\n', '\r', '\n', '\r\r\n', '> ', '>', 'OK', 'ERROR', '+CME ERROR: ', '+CMS ERROR: 500', '+CME ERROR: SIM busy',
  '+CMTI: "SM",', '+CMT: ,23', '+CMT: "+639503610262","","19/08/23,21:13:18+32"', '+CDS: 25', '+CDSI: "SR",8',
  '+CREG: ', '+CREG: 2,1,"1F00","79D903",7', '+CEREG: 2,1, 1F00, 79D903 ,7', '+CREG:002,001,"18d8","ffff"', '+CREG: 2,,',
  '+CMGR: 0,"",24', '+CMGL: 1,0,,63', '07918497483252F0840B918496', 'RING', '+CLIP: "+27821234567",145,"",0,"",0',
  'RDY', 'SMS Ready', '+QIND: SMS DONE', '^RSSI:19', '^BOOT:91409020,0,0,0,6', '"', ',', ',,,,', '\x1a', '\x1b', '\x00', '\xff',
  '+CSQ: 18,99', '+CPIN: READY', 'NO CARRIER', '*ATREADY: 1', '+CGNSINF: 1,1,20170520190355.000,50.8,4.3,94.9,0.11',
];

function randomInput(rand: () => number): Buffer {
  const parts: Buffer[] = [];
  const count = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < count; i++) {
    if (rand() < 0.7) {
      const fragment = fragments[Math.floor(rand() * fragments.length)] ?? '';
      parts.push(Buffer.from(fragment, 'latin1'));
    } else {
      const bytes = Buffer.alloc(1 + Math.floor(rand() * 12));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      parts.push(bytes);
    }
  }
  return Buffer.concat(parts);
}

function exercise(line: string): void {
  parseFinalResult(line, false);
  parseFinalResult(line, true);
  urcKindOf(line);
  urcBody(line);
  parseUrc(line, line);
  parseRegistration(line, true);
  parseRegistration(line, false);
  isSolicitedRegistration(line);
  splitFields(splitPrefix(line).rest);
}

describe('AT line parser fuzz', () => {
  it('survives 120,000 seeded cases through framer and line classifiers', () => {
    const rand = randomSource(0x5eed_a7);
    const framer = new AtFramer();
    const started = Date.now();
    let lines = 0;
    for (let i = 0; i < 120_000; i++) {
      const input = randomInput(rand);
      let offset = 0;
      while (offset < input.length) {
        const size = 1 + Math.floor(rand() * 16);
        for (const token of framer.push(input.subarray(offset, offset + size))) {
          if (token.kind === 'line') {
            lines++;
            exercise(token.text);
          }
        }
        offset += size;
      }
    }
    framer.flush();
    assert.ok(lines > 100_000, `expected many lines, got ${lines}`);
    assert.ok(Date.now() - started < 60_000, 'fuzzing took too long: a parser is too slow or hangs');
  });

  it('keeps the channel consistent through 20,000 random streams: every command settles with OK or a coded error', async () => {
    const rand = randomSource(42);
    const clock = new ManualClock();
    const port = new Duplex({ read() {}, write(_chunk, _enc, done) { done(); } });
    const channel = new AtChannel(port, { clock, timeoutMs: 1000 });
    channel.onUrc(() => undefined);
    for (let i = 0; i < 20_000; i++) {
      const pending = channel.send('AT+CMGR=1', { timeoutMs: 1000 });
      let outcome: string | undefined;
      void pending.then(
        () => (outcome = 'ok'),
        (e: unknown) => (outcome = isAgentError(e) ? 'coded' : 'plain'),
      );
      await new Promise((resolve) => setImmediate(resolve));
      port.emit('data', randomInput(rand));
      port.emit('data', Buffer.from('\r\nOK\r\n'));
      // Time moves until the command settles: its own timeout, and the drain gap a previous timeout left.
      for (let spins = 0; outcome === undefined; spins++) {
        assert.ok(spins < 100, 'a command never settled');
        clock.advance(500);
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.notEqual(outcome, 'plain');
    }
    channel.close();
    port.destroy();
  });
});
