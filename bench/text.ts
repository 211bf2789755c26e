/**
 * `npm run bench -- text`: the text layer and the SMS PDU codec — GSM 03.38 encode/decode of a
 * 160-character text, septet counting, splitting a 3-part message, and decoding/encoding SMS PDUs.
 */
import type { BenchFigures, BenchOptions } from './run.js';
import { measure } from './_timing.js';
import { gsm7Decode, gsm7Encode, gsm7Septets, packSeptets, splitText, ucs2Encode, chooseEncoding } from '../src/smpp/index.js';
import { decodeSmsPdu, encodeSubmit } from '../src/modem/sms/index.js';

const TEXT_160 = 'Alarm 07: pump P3 pressure 4.7 bar (limit 4.5), flow 12.3 l/min, tank 81%, site Nord-Ost 3, since 2024-05-01 10:22 UTC. Ack with "OK 07" or call +49 30 1234567 ';
const LONG = `${TEXT_160}${TEXT_160}${TEXT_160}`.slice(0, 420);
const DELIVER_HEX =
  '07912104442961F4040B916171957291F800001120821105050A6AC8B2BC7C9A83C220F6DB7D2ECB41EDF27C1E3E97411BDE06754FD3D1A0F9BB5D0695F1F4B29B5C2683C6E8B03C3CA697E5F34D6AE303D1D1F2F7DD0D4ABB59A0797D8C0685E7A00028EC26832A960B28EC2683BE6050780EBA97D96C17';

export async function run(options: BenchOptions): Promise<BenchFigures> {
  const septets = gsm7Encode(TEXT_160);
  const figures = {
    textChars: TEXT_160.length,
    gsm7Encode160: measure(() => gsm7Encode(TEXT_160)),
    gsm7Decode160: measure(() => gsm7Decode(septets)),
    gsm7Septets160: measure(() => gsm7Septets(TEXT_160)),
    chooseEncoding160: measure(() => chooseEncoding(TEXT_160)),
    packSeptets160: measure(() => packSeptets(septets)),
    ucs2Encode160: measure(() => ucs2Encode(TEXT_160)),
    splitText420udh8: measure(() => splitText(LONG, { method: 'udh8', reference: 1 })),
    smsDecodeDeliver: measure(() => decodeSmsPdu(DELIVER_HEX)),
    smsEncodeSubmit420: measure(() => encodeSubmit({ destination: '+491701234567', text: LONG, reference: 9 })),
  };
  if (options.verbose) {
    for (const [name, value] of Object.entries(figures)) {
      if (typeof value === 'object') process.stdout.write(`${name.padEnd(22)} ${String(value.opsPerSec).padStart(10)} ops/s  ${value.nsPerOp} ns/op\n`);
    }
  }
  return Promise.resolve(figures);
}
