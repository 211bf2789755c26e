/** The emulator's GNSS answers in each family's format (REFERENCE.md §5), from one position. */
import type { GnssParserName } from '../../modem/index.js';

export interface EmulatedFix {
  readonly lat: number;
  readonly lon: number;
  readonly altM: number;
  readonly speedKmh: number;
  readonly courseDeg: number;
  readonly time: Date;
  readonly satellites: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `44.499464` → `4429.967840` (ddmm.mmmmmm; dddmm for longitude). */
function nmea(value: number, degreeDigits: number): string {
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  const minutes = (abs - degrees) * 60;
  return `${pad(degrees, degreeDigits)}${minutes.toFixed(6).padStart(9, '0')}`;
}

function ddmmyy(t: Date): string {
  return `${pad(t.getUTCDate())}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCFullYear() % 100)}`;
}

function hhmmss(t: Date): string {
  return `${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}`;
}

/** +CGNSINF (SIM808/SIM7000): running flag, fix flag, compact UTC, decimal degrees, km/h. */
export function cgnsinf(on: boolean, fix: EmulatedFix | undefined): string {
  if (!on) return '+CGNSINF: 0,,,,,,,,,,,,,,,,,,,,';
  if (fix === undefined) return '+CGNSINF: 1,0,19800106002148.000,,,,0.00,0.0,0,,,,,,0,0,,,,,';
  const t = fix.time;
  const utc = `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${hhmmss(t)}.000`;
  return `+CGNSINF: 1,1,${utc},${fix.lat.toFixed(6)},${fix.lon.toFixed(6)},${fix.altM.toFixed(3)},${fix.speedKmh.toFixed(2)},${fix.courseDeg.toFixed(1)},1,,0.8,1.2,1.0,,14,${fix.satellites},,,39,,`;
}

/** +CGPSINFO (SIM7600): ddmm.mmmmmm with hemisphere letters, speed in knots. */
export function cgpsinfo(fix: EmulatedFix | undefined): string {
  if (fix === undefined) return '+CGPSINFO: ,,,,,,,,';
  const knots = (fix.speedKmh / 1.852).toFixed(1);
  return `+CGPSINFO: ${nmea(fix.lat, 2)},${fix.lat < 0 ? 'S' : 'N'},${nmea(fix.lon, 3)},${fix.lon < 0 ? 'W' : 'E'},${ddmmyy(fix.time)},${hhmmss(fix.time)}.0,${fix.altM.toFixed(1)},${knots},${fix.courseDeg.toFixed(1)}`;
}

/** +QGPSLOC mode 2 (Quectel): decimal degrees, km/h and knots, satellites last. */
export function qgpsloc(fix: EmulatedFix): string {
  const knots = (fix.speedKmh / 1.852).toFixed(1);
  return `+QGPSLOC: ${hhmmss(fix.time)}.0,${fix.lat.toFixed(5)},${fix.lon.toFixed(5)},1.2,${fix.altM.toFixed(1)},3,${fix.courseDeg.toFixed(2)},${fix.speedKmh.toFixed(1)},${knots},${ddmmyy(fix.time)},${pad(fix.satellites)}`;
}

/** +UULOC (u-blox, extended response): speed in m/s; "no position" is lat/lon 0. */
export function uuloc(fix: EmulatedFix | undefined, now: Date): string {
  const t = fix?.time ?? now;
  const date = `${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.000`;
  if (fix === undefined) return `+UULOC: ${date},${time},0.0000000,0.0000000,0,0,0,0,0,1,0,0,0`;
  return `+UULOC: ${date},${time},${fix.lat.toFixed(7)},${fix.lon.toFixed(7)},${Math.round(fix.altM)},17,${(fix.speedKmh / 3.6).toFixed(0)},${Math.round(fix.courseDeg)},18,1,${fix.satellites},3,9`;
}

export function gnssFlavourCommands(parser: GnssParserName): { on: RegExp; off: RegExp } {
  switch (parser) {
    case 'simcom-cgnsinf':
      return { on: /^AT\+CGNSPWR=1$/, off: /^AT\+CGNSPWR=0$/ };
    case 'simcom-cgpsinfo':
    case 'simcom-cgnssinfo':
      return { on: /^AT\+CGPS=1(,\d)?$/, off: /^AT\+CGPS=0$/ };
    case 'quectel-qgpsloc':
      return { on: /^AT\+QGPS=1$/, off: /^AT\+QGPSEND$/ };
    case 'ublox-uloc':
      return { on: /^AT\+UGPS=1/, off: /^AT\+UGPS=0/ };
    case 'none':
      return { on: /^$/, off: /^$/ };
  }
}
