/**
 * Cell-tower location answers. The coordinate order differs by family (REFERENCE §5.5): SIM800/SIM7000
 * `+CIPGSMLOC`/`+CLBS` print LONGITUDE first, SIM7600/A76xx `+CLBS` latitude first; the profile says which.
 */
import { intField, numberField, splitFields, splitPrefix } from '../at/fields.js';

export interface CellLocation {
  /** 0 = success; anything else is the modem's failure code and lat/lon are absent. */
  readonly code: number;
  readonly lat?: number;
  readonly lon?: number;
  readonly accuracyM?: number;
}

export function parseCellLocation(lines: readonly string[], order: 'lat-lon' | 'lon-lat'): CellLocation | undefined {
  const line = lines.find((l) => ['+CLBS', '+CIPGSMLOC', '+QCELLLOC'].includes(splitPrefix(l).prefix));
  if (line === undefined) return undefined;
  const { prefix, rest } = splitPrefix(line);
  const fields = splitFields(rest);
  // Quectel +QCELLLOC has no leading code: <lon>,<lat>.
  const offset = prefix === '+QCELLLOC' ? 0 : 1;
  const code = prefix === '+QCELLLOC' ? 0 : intField(fields[0]);
  if (code === undefined) return undefined;
  const first = numberField(fields[offset]);
  const second = numberField(fields[offset + 1]);
  if (code !== 0 || first === undefined || second === undefined) return { code };
  const [lat, lon] = order === 'lat-lon' ? [first, second] : [second, first];
  const accuracy = prefix === '+CLBS' ? numberField(fields[3]) : undefined;
  return { code, lat, lon, ...(accuracy !== undefined ? { accuracyM: accuracy } : {}) };
}
