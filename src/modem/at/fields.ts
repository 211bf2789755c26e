/**
 * Splitting AT information text into fields. Real answers quote some fields and not others, put spaces
 * around values (`+CEREG: 2,1, 1F00, 79D903 ,7`), omit the space after the colon (`+CSQ:4,0`) and
 * leave fields empty (`+CREG: 2,,`), so the splitter is forgiving and never throws.
 */

/** `+CMGR: 0,"",24` → `{ prefix: '+CMGR', rest: '0,"",24' }`; lines without `+X:`/`^X:`/`*X:` give prefix ''. */
export function splitPrefix(line: string): { prefix: string; rest: string } {
  const match = /^([+^*$#][A-Za-z0-9_]+|[A-Za-z][A-Za-z0-9_ ]*?)\s*:\s?(.*)$/.exec(line);
  if (!match) return { prefix: '', rest: line };
  return { prefix: (match[1] ?? '').toUpperCase(), rest: match[2] ?? '' };
}

/** Comma-separated fields; quotes are removed from quoted fields, spaces trimmed from unquoted ones. */
export function splitFields(rest: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (const char of rest) {
    if (char === '"') {
      quoted = !quoted;
      wasQuoted = true;
      continue;
    }
    if (char === ',' && !quoted) {
      fields.push(wasQuoted ? current : current.trim());
      current = '';
      wasQuoted = false;
      continue;
    }
    if (quoted || wasQuoted === false || char !== ' ') current += char;
  }
  fields.push(wasQuoted ? current : current.trim());
  return fields;
}

/** Which fields of `rest` were quoted (needed to tell `+CMT: "+27…",…` text mode from `+CMT: ,23` PDU mode). */
export function quotedFlags(rest: string): boolean[] {
  const flags: boolean[] = [];
  let quoted = false;
  let sawQuote = false;
  for (const char of rest) {
    if (char === '"') {
      quoted = !quoted;
      sawQuote = true;
    } else if (char === ',' && !quoted) {
      flags.push(sawQuote);
      sawQuote = false;
    }
  }
  flags.push(sawQuote);
  return flags;
}

/** A decimal integer field (leading zeros allowed, `002`), or undefined. */
export function intField(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (!/^-?\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}

/** A decimal number field (`-22.98486`, `4.0`), or undefined. */
export function numberField(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** True for a line that is only hex digits (a PDU or part of one). */
export function isHexLine(line: string): boolean {
  return line.length > 0 && /^[0-9A-Fa-f]+$/.test(line);
}
