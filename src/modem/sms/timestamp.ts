/**
 * Service-centre time stamps (3GPP TS 23.040 §9.2.3.11): seven octets of swapped BCD,
 * YY MM DD hh mm ss TZ. The time zone counts quarter hours; its sign is bit 3 of the first
 * (low) semi-octet, so 0x80 is +02:00, 0x23 is +08:00, 0x0A is −05:00 and 0x29 is −03:00.
 * We keep the local time and its offset, as ISO 8601 ("2011-02-28T11:50:50-05:00"): that is
 * what the sender's network said, and converting to UTC would lose it.
 */
import { invalidPdu } from './reader.js';

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** Seven octets → ISO string with offset, or undefined when a field is not a valid BCD time. */
export function decodeTimestamp(octets: Uint8Array): string | undefined {
  if (octets.length !== 7) return undefined;
  const fields: number[] = [];
  for (let i = 0; i < 6; i++) {
    const value = swappedBcd(octets[i] ?? 0);
    if (value === undefined) return undefined;
    fields.push(value);
  }
  const [yy = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = fields;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const tz = octets[6] ?? 0;
  const negative = (tz & 0x08) !== 0;
  const tens = tz & 0x07;
  const units = tz >> 4;
  if (units > 9) return undefined;
  const quarters = tens * 10 + units;
  // 23.040 allows ±79 quarter hours in the field, real zones stay within −12:00..+14:00.
  if (quarters > 56) return undefined;
  const year = yy < 80 ? 2000 + yy : 1900 + yy;
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${formatOffset(negative ? -quarters * 15 : quarters * 15)}`;
}

/** ISO 8601 with an offset (or 'Z', or a Date: encoded in UTC) → seven octets. */
export function encodeTimestamp(time: string | Date): Buffer {
  let parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; offsetMinutes: number };
  if (time instanceof Date) {
    if (Number.isNaN(time.getTime())) throw invalidPdu('timestamp is an invalid Date');
    parts = {
      year: time.getUTCFullYear(), month: time.getUTCMonth() + 1, day: time.getUTCDate(),
      hour: time.getUTCHours(), minute: time.getUTCMinutes(), second: time.getUTCSeconds(), offsetMinutes: 0,
    };
  } else {
    const m = ISO_WITH_OFFSET.exec(time);
    if (m === null) throw invalidPdu(`timestamp "${time}" is not ISO 8601 with an offset`, { time });
    const offsetMinutes = m[7] === 'Z' ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
    parts = {
      year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
      hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), offsetMinutes,
    };
  }
  const { year, month, day, hour, minute, second, offsetMinutes } = parts;
  if (year < 1980 || year > 2079) throw invalidPdu(`timestamp year ${year} is outside 1980..2079`, { year });
  if (offsetMinutes % 15 !== 0 || Math.abs(offsetMinutes) > 79 * 15) {
    throw invalidPdu(`time zone offset ${offsetMinutes} min is not a whole number of quarter hours`, { offsetMinutes });
  }
  const quarters = Math.abs(offsetMinutes) / 15;
  const tz = ((quarters % 10) << 4) | Math.floor(quarters / 10) | (offsetMinutes < 0 ? 0x08 : 0);
  return Buffer.of(...[year % 100, month, day, hour, minute, second].map(toSwappedBcd), tz);
}

function swappedBcd(octet: number): number | undefined {
  const low = octet & 0x0f;
  const high = octet >> 4;
  if (low > 9 || high > 9) return undefined;
  return low * 10 + high;
}

function toSwappedBcd(value: number): number {
  return ((value % 10) << 4) | Math.floor(value / 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
