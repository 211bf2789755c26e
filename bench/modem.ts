/**
 * Modem part speed: the AT framer over a realistic byte stream, line classification, and AT channel
 * round trips (command → OK) against an in-memory modem that answers at once, so the figure is our
 * per-command overhead, not a serial line's.
 */
import { Duplex } from 'node:stream';
import { AtChannel, AtFramer, parseFinalResult, parseUrc, urcKindOf } from '../src/modem/index.js';
import type { BenchFigures, BenchOptions } from './run.js';
import { measure } from './_timing.js';

const stream = Buffer.from(
  'AT+CMGL=4\r\r\n+CMGL: 0,0,,23\r\n07918497483252F0840B918496445078F700007121320144744004D4F29C0E\r\n' +
    '\r\n+CMTI: "SM",3\r\n\r\n+CREG: 1,"1F00","79D903",7\r\n\r\n+CSQ: 18,99\r\n\r\nOK\r\n',
  'latin1',
);

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const framer = new AtFramer();
  const framing = measure(() => framer.push(stream));
  const mbPerSec = Math.round(((framing.opsPerSec * stream.length) / 1e6) * 10) / 10;
  const lines = ['+CMTI: "SM",3', '+CREG: 1,"1F00","79D903",7', 'OK', '+CMS ERROR: 500', '+CSQ: 18,99'];
  let i = 0;
  const classify = measure(() => {
    const line = lines[i++ % lines.length] ?? '';
    return parseFinalResult(line, false) ?? (urcKindOf(line) ? parseUrc(line) : undefined);
  });

  const modem = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      const command = chunk.toString('latin1');
      if (command.endsWith('\r')) setImmediate(() => modem.push(Buffer.from('\r\n+CSQ: 18,99\r\n\r\nOK\r\n', 'latin1')));
      done();
    },
  });
  const channel = new AtChannel(modem, { timeoutMs: 1000 });
  const count = 20_000;
  const started = process.hrtime.bigint();
  for (let n = 0; n < count; n++) await channel.send('AT+CSQ');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  channel.close();
  modem.destroy();
  const figures = {
    framerMBPerSec: mbPerSec,
    framerNsPerChunk: framing.nsPerOp,
    lineClassifyOpsPerSec: classify.opsPerSec,
    channelRoundTripsPerSec: Math.round(count / seconds),
    channelUsPerRoundTrip: Math.round((seconds / count) * 1e6 * 10) / 10,
  };
  if (options.verbose) {
    for (const [name, value] of Object.entries(figures)) process.stdout.write(`  ${name.padEnd(26)} ${value}\n`);
  }
  return figures;
}
