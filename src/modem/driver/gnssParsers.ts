/**
 * GNSS answers of each family, normalised to one fix shape. "No fix" is a state, not an error: a parser
 * returns `{ state: 'no-fix' }` when the receiver runs but has no position, `{ state: 'off' }` when it
 * reports itself powered down. Formats per REFERENCE.md §5 (SIMCom, Quectel and u-blox manuals, real captures).
 */
import { intField, numberField, splitFields, splitPrefix } from '../at/fields.js';
import type { GnssParserName } from '../profile/types.js';

export interface GnssFix {
  readonly lat: number;
  readonly lon: number;
  readonly altM: number | null;
  readonly speedKmh: number | null;
  readonly courseDeg: number | null;
  /** ISO 8601 UTC time of the fix, or null when the receiver has no valid date yet. */
  readonly fixTime: string | null;
  readonly satellites: number | null;
}

export type GnssReading =
  | { readonly state: 'fix'; readonly fix: GnssFix }
  | { readonly state: 'no-fix'; readonly reason?: string }
  | { readonly state: 'off' }
  | { readonly state: 'unsupported' };

const KNOTS_TO_KMH = 1.852;

const prefixParsers: ReadonlyMap<string, GnssParserName> = new Map([
  ['+CGNSINF', 'simcom-cgnsinf'],
  ['+CGPSINFO', 'simcom-cgpsinfo'],
  ['+CGNSSINFO', 'simcom-cgnssinfo'],
  ['+QGPSLOC', 'quectel-qgpsloc'],
  ['+UULOC', 'ublox-uloc'],
]);

/** Parses the information lines of the profile's query command; undefined when no line of that form is present. */
export function parseGnss(parser: GnssParserName, lines: readonly string[]): GnssReading | undefined {
  // The answer's own prefix wins: a SIM7600 answers both AT+CGPSINFO and AT+CGNSSINFO.
  const byPrefix = lines.map((l) => prefixParsers.get(splitPrefix(l).prefix)).find((p) => p !== undefined);
  switch (byPrefix ?? parser) {
    case 'simcom-cgnsinf':
      return withLine(lines, '+CGNSINF', parseCgnsinf);
    case 'simcom-cgpsinfo':
      return withLine(lines, '+CGPSINFO', parseCgpsinfo);
    case 'simcom-cgnssinfo':
      return withLine(lines, '+CGNSSINFO', parseCgnssinfo);
    case 'quectel-qgpsloc':
      return withLine(lines, '+QGPSLOC', parseQgpsloc);
    case 'ublox-uloc':
      return withLine(lines, '+UULOC', parseUuloc);
    case 'none':
      return { state: 'unsupported' };
  }
}

function withLine(lines: readonly string[], prefix: string, parse: (fields: string[]) => GnssReading): GnssReading | undefined {
  const line = lines.find((l) => splitPrefix(l).prefix === prefix);
  if (line === undefined) return undefined;
  return parse(splitFields(splitPrefix(line).rest));
}

/** SIM808/SIM868/SIM7000 `+CGNSINF: <run>,<fix>,<utc>,<lat>,<lon>,<alt>,<speed km/h>,<course>,…,<in view>,<used>,…`. */
function parseCgnsinf(f: string[]): GnssReading {
  if (f[0] === '0') return { state: 'off' };
  const lat = numberField(f[3]);
  const lon = numberField(f[4]);
  // Trust the position only when <fix> is 1 (REFERENCE G15).
  if (f[1] !== '1' || lat === undefined || lon === undefined) return { state: 'no-fix' };
  return {
    state: 'fix',
    fix: {
      lat,
      lon,
      altM: numberField(f[5]) ?? null,
      speedKmh: numberField(f[6]) ?? null,
      courseDeg: numberField(f[7]) ?? null,
      fixTime: compactUtc(f[2] ?? ''),
      satellites: intField(f[15]) ?? intField(f[14]) ?? null,
    },
  };
}

/** SIM7600 `+CGPSINFO: <lat ddmm.mmmmmm>,<N/S>,<lon dddmm.mmmmmm>,<E/W>,<ddmmyy>,<hhmmss.s>,<alt>,<speed knots>,<course>`. */
function parseCgpsinfo(f: string[]): GnssReading {
  const lat = nmeaDegrees(f[0], f[1]);
  const lon = nmeaDegrees(f[2], f[3]);
  if (lat === undefined || lon === undefined) return { state: 'no-fix' };
  const knots = numberField(f[7]);
  return {
    state: 'fix',
    fix: { lat, lon, altM: numberField(f[6]) ?? null, speedKmh: knots === undefined ? null : round(knots * KNOTS_TO_KMH, 3), courseDeg: numberField(f[8]) ?? null, fixTime: dateTime(f[4], f[5]), satellites: null },
  };
}

/**
 * SIM7600 `+CGNSSINFO: <mode>,<GPS SVs>,<GLONASS SVs>,<BEIDOU SVs>,<lat>,<N/S>,<lon>,<E/W>,<date>,<utc>,<alt>,<speed>,<course>,…`;
 * A76xx print decimal degrees and drop a satellite column (`2,04,00,21.5,N,114.1,E,…`): detected by where N/S sits.
 */
function parseCgnssinfo(f: string[]): GnssReading {
  const nsAt = f.findIndex((v, i) => i >= 3 && (v === 'N' || v === 'S'));
  if (nsAt < 0) return { state: 'no-fix' };
  const latText = f[nsAt - 1];
  const lonText = f[nsAt + 1];
  const decimal = /^\d{1,2}\.\d+$/.test(latText ?? '') && !/^\d{4}\./.test(latText ?? '');
  const lat = decimal ? signed(numberField(latText), f[nsAt]) : nmeaDegrees(latText, f[nsAt]);
  const lon = decimal ? signed(numberField(lonText), f[nsAt + 2]) : nmeaDegrees(lonText, f[nsAt + 2]);
  if (lat === undefined || lon === undefined) return { state: 'no-fix' };
  const sats = [f[1], f[2], decimal ? undefined : f[3]].map((v) => intField(v) ?? 0).reduce((a, b) => a + b, 0);
  // SIMCom documents CGNSSINFO speed in knots (same as CGPSINFO).
  const knots = numberField(f[nsAt + 6]);
  return {
    state: 'fix',
    fix: {
      lat,
      lon,
      altM: numberField(f[nsAt + 5]) ?? null,
      speedKmh: knots === undefined ? null : round(knots * KNOTS_TO_KMH, 3),
      courseDeg: numberField(f[nsAt + 7]) ?? null,
      fixTime: dateTime(f[nsAt + 3], f[nsAt + 4]),
      satellites: f[0] === '' ? (intField(f[f.length - 1]) ?? null) : sats > 0 ? sats : null,
    },
  };
}

/**
 * Quectel `+QGPSLOC: <utc>,<lat>,<lon>,<hdop>,<alt>,<fix>,<cog>,<spkm>,<spkn>,<ddmmyy>,<nsat>` in all three
 * display modes: 2 `-22.98486`, 0 `2259.0881S` (hemisphere glued on), 1 `2259.088100,S` (hemisphere as its own field).
 */
function parseQgpsloc(raw: string[]): GnssReading {
  const f = [...raw];
  // Mode 1 puts N/S and E/W in their own fields: fold them back so the layout is the same as modes 0 and 2.
  if (f[2] === 'N' || f[2] === 'S') f.splice(1, 2, `${f[1] ?? ''}${f[2] ?? ''}`);
  if (f[3] === 'E' || f[3] === 'W') f.splice(2, 2, `${f[2] ?? ''}${f[3] ?? ''}`);
  const lat = quectelDegrees(f[1]);
  const lon = quectelDegrees(f[2]);
  if (lat === undefined || lon === undefined) return { state: 'no-fix' };
  return {
    state: 'fix',
    fix: { lat, lon, altM: numberField(f[4]) ?? null, speedKmh: numberField(f[7]) ?? null, courseDeg: numberField(f[6]) ?? null, fixTime: dateTime(f[9], f[0]), satellites: intField(f[10]) ?? null },
  };
}

/** u-blox `+UULOC: <dd/mm/yyyy>,<hh:mm:ss.sss>,<lat>,<lon>,<alt>,<uncertainty>[,<speed>,<direction>,<vacc>,<sensor>,<SV used>,…]`. */
function parseUuloc(f: string[]): GnssReading {
  const lat = numberField(f[2]);
  const lon = numberField(f[3]);
  // "No position available" is reported as lat/lon 0.
  if (lat === undefined || lon === undefined || (lat === 0 && lon === 0)) return { state: 'no-fix' };
  const date = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(f[0] ?? '');
  const time = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(f[1] ?? '');
  const fixTime = date && time ? `${date[3]}-${date[2]}-${date[1]}T${time[1]}:${time[2]}:${time[3]}${time[4] ?? ''}Z` : null;
  const speedMs = numberField(f[6]);
  return {
    state: 'fix',
    fix: { lat, lon, altM: numberField(f[4]) ?? null, speedKmh: speedMs === undefined ? null : round(speedMs * 3.6, 3), courseDeg: numberField(f[7]) ?? null, fixTime, satellites: intField(f[10]) ?? null },
  };
}

/** `4429.967842` + `N` → 44.499464; ddmm / dddmm with minutes. */
function nmeaDegrees(value: string | undefined, hemisphere: string | undefined): number | undefined {
  const match = /^(\d{2,3})(\d{2}\.\d+)$/.exec(value ?? '');
  if (!match) return undefined;
  const degrees = Number(match[1]) + Number(match[2]) / 60;
  return signed(round(degrees, 6), hemisphere);
}

function quectelDegrees(value: string | undefined): number | undefined {
  const glued = /^(\d+\.\d+)([NSEW])$/.exec(value ?? '');
  if (glued) return nmeaDegrees(glued[1], glued[2]);
  return numberField(value);
}

function signed(value: number | undefined, hemisphere: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (hemisphere === 'S' || hemisphere === 'W') return -value;
  if (hemisphere === 'N' || hemisphere === 'E') return value;
  return undefined;
}

/** `20170520190355.000` → `2017-05-20T19:03:55.000Z`; the 1980-01-06 GPS epoch means no time yet. */
function compactUtc(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(value);
  if (!m || m[1] === '1980') return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`;
}

/** `250325` + `160319.0` → `2025-03-25T16:03:19.0Z`. */
function dateTime(date: string | undefined, time: string | undefined): string | null {
  const d = /^(\d{2})(\d{2})(\d{2})$/.exec(date ?? '');
  const t = /^(\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(time ?? '');
  if (!d || !t) return null;
  return `20${d[3]}-${d[2]}-${d[1]}T${t[1]}:${t[2]}:${t[3]}${t[4] ?? ''}Z`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
