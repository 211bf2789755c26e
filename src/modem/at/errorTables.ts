/**
 * +CME ERROR (3GPP TS 27.007 §9.2) and +CMS ERROR (3GPP TS 27.005 §3.2.5) codes with their names.
 * With AT+CMEE=2 modems print the text instead of the number, so both directions are needed:
 * a number is named for the log, and a text is mapped back to the number callers branch on.
 */

export interface ErrorMeaning {
  readonly code: number;
  readonly name: string;
  /** What the caller should do about it. */
  readonly retry: 'later' | 'after-registration' | 'never' | 'after-sim';
}

type Row = readonly [number, string, ErrorMeaning['retry']?];

const cmeRows: readonly Row[] = [
  [0, 'phone failure', 'later'],
  [1, 'no connection to phone'],
  [2, 'phone-adaptor link reserved'],
  [3, 'operation not allowed'],
  [4, 'operation not supported'],
  [5, 'PH-SIM PIN required', 'after-sim'],
  [6, 'PH-FSIM PIN required', 'after-sim'],
  [7, 'PH-FSIM PUK required', 'after-sim'],
  [10, 'SIM not inserted', 'after-sim'],
  [11, 'SIM PIN required', 'after-sim'],
  [12, 'SIM PUK required', 'after-sim'],
  [13, 'SIM failure', 'after-sim'],
  [14, 'SIM busy', 'later'],
  [15, 'SIM wrong', 'after-sim'],
  [16, 'incorrect password'],
  [17, 'SIM PIN2 required'],
  [18, 'SIM PUK2 required'],
  [20, 'memory full'],
  [21, 'invalid index'],
  [22, 'not found'],
  [23, 'memory failure'],
  [24, 'text string too long'],
  [25, 'invalid characters in text string'],
  [26, 'dial string too long'],
  [27, 'invalid characters in dial string'],
  [30, 'no network service', 'after-registration'],
  [31, 'network timeout', 'after-registration'],
  [32, 'network not allowed - emergency calls only', 'after-registration'],
  [40, 'network personalization PIN required'],
  [41, 'network personalization PUK required'],
  [42, 'network subset personalization PIN required'],
  [43, 'network subset personalization PUK required'],
  [44, 'service provider personalization PIN required'],
  [45, 'service provider personalization PUK required'],
  [46, 'corporate personalization PIN required'],
  [47, 'corporate personalization PUK required'],
  [48, 'hidden key required'],
  [49, 'EAP method not supported'],
  [50, 'incorrect parameters'],
  [100, 'unknown', 'later'],
  [103, 'illegal MS'],
  [106, 'illegal ME'],
  [107, 'GPRS services not allowed'],
  [111, 'PLMN not allowed', 'after-registration'],
  [112, 'location area not allowed', 'after-registration'],
  [113, 'roaming not allowed in this location area', 'after-registration'],
  [132, 'service option not supported'],
  [133, 'requested service option not subscribed'],
  [134, 'service option temporarily out of order', 'later'],
  [148, 'unspecified GPRS error', 'later'],
  [149, 'PDP authentication failure'],
  [150, 'invalid mobile class'],
  // Vendor codes seen on the modems we support (Quectel GNSS manual, Wavecom), kept because they are common.
  [504, 'GNSS session is ongoing'],
  [505, 'GNSS session not active'],
  [515, 'device busy', 'later'],
  [516, 'GNSS not fixed now', 'later'],
];

const cmsRows: readonly Row[] = [
  // 0..127: RP-cause from the network (24.011 E.2)
  [1, 'unassigned (unallocated) number'],
  [8, 'operator determined barring'],
  [10, 'call barred'],
  [21, 'short message transfer rejected'],
  [27, 'destination out of service', 'later'],
  [28, 'unidentified subscriber'],
  [29, 'facility rejected'],
  [30, 'unknown subscriber'],
  [38, 'network out of order', 'later'],
  [41, 'temporary failure', 'later'],
  [42, 'congestion', 'later'],
  [47, 'resources unavailable, unspecified', 'later'],
  [50, 'requested facility not subscribed'],
  [69, 'requested facility not implemented'],
  [81, 'invalid short message transfer reference value'],
  [95, 'invalid message, unspecified'],
  [96, 'invalid mandatory information'],
  [97, 'message type non-existent or not implemented'],
  [98, 'message not compatible with short message protocol state'],
  [99, 'information element non-existent or not implemented'],
  [111, 'protocol error, unspecified'],
  [127, 'interworking, unspecified'],
  // 128..255: TP-FCS (23.040 §9.2.3.22)
  [0x80, 'telematic interworking not supported'],
  [0x81, 'short message type 0 not supported'],
  [0x82, 'cannot replace short message'],
  [0x8f, 'unspecified TP-PID error'],
  [0x90, 'data coding scheme (alphabet) not supported'],
  [0x91, 'message class not supported'],
  [0x9f, 'unspecified TP-DCS error'],
  [0xa0, 'command cannot be actioned'],
  [0xa1, 'command unsupported'],
  [0xaf, 'unspecified TP-command error'],
  [0xb0, 'TPDU not supported'],
  [0xc0, 'SC busy', 'later'],
  [0xc1, 'no SC subscription'],
  [0xc2, 'SC system failure', 'later'],
  [0xc3, 'invalid SME address'],
  [0xc4, 'destination SME barred'],
  [0xc5, 'SM rejected-duplicate SM'],
  [0xc6, 'TP-VPF not supported'],
  [0xc7, 'TP-VP not supported'],
  [0xd0, 'SIM SMS storage full'],
  [0xd1, 'no SMS storage capability in SIM'],
  [0xd2, 'error in MS'],
  [0xd3, 'memory capacity exceeded'],
  [0xd4, 'SIM application toolkit busy', 'later'],
  [0xd5, 'SIM data download error'],
  [0xff, 'unspecified error cause'],
  // 300..: ME/TA errors (27.005 §3.2.5)
  [300, 'ME failure', 'later'],
  [301, 'SMS service of ME reserved', 'later'],
  [302, 'operation not allowed'],
  [303, 'operation not supported'],
  [304, 'invalid PDU mode parameter'],
  [305, 'invalid text mode parameter'],
  [310, '(U)SIM not inserted', 'after-sim'],
  [311, '(U)SIM PIN required', 'after-sim'],
  [312, 'PH-(U)SIM PIN required', 'after-sim'],
  [313, '(U)SIM failure', 'after-sim'],
  [314, '(U)SIM busy', 'later'],
  [315, '(U)SIM wrong', 'after-sim'],
  [316, '(U)SIM PUK required', 'after-sim'],
  [317, '(U)SIM PIN2 required'],
  [318, '(U)SIM PUK2 required'],
  [320, 'memory failure'],
  [321, 'invalid memory index'],
  [322, 'memory full'],
  [330, 'SMSC address unknown'],
  [331, 'no network service', 'after-registration'],
  [332, 'network timeout', 'after-registration'],
  [340, 'no +CNMA acknowledgement expected'],
  [500, 'unknown error', 'after-registration'],
];

function toTable(rows: readonly Row[]): ReadonlyMap<number, ErrorMeaning> {
  return new Map(rows.map(([code, name, retry]) => [code, { code, name, retry: retry ?? 'never' }]));
}

const cmeTable = toTable(cmeRows);
const cmsTable = toTable(cmsRows);

/** Text → number, for CMEE=2 answers. Lower-cased, `(U)` dropped, so `SIM not inserted` finds 310 for CMS. */
function toReverse(table: ReadonlyMap<number, ErrorMeaning>): ReadonlyMap<string, ErrorMeaning> {
  const reverse = new Map<string, ErrorMeaning>();
  for (const meaning of table.values()) reverse.set(normaliseText(meaning.name), meaning);
  return reverse;
}

const cmeByText = toReverse(cmeTable);
const cmsByText = toReverse(cmsTable);

function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\(u\)/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Extra spellings firmwares use with CMEE=2 that differ from the specification's wording. */
const cmeAliases: ReadonlyMap<string, number> = new Map([
  ['sim not ready', 14],
  ['no network', 30],
  ['unknown error', 100],
  ['invalid index', 21],
  ['not fixed now', 516],
  ['session not active', 505],
]);
const cmsAliases: ReadonlyMap<string, number> = new Map([
  ['invalid input value', 305],
  ['sim not inserted', 310],
  ['sim busy', 314],
  ['sim pin required', 311],
  ['sim failure', 313],
  ['unknown', 500],
  ['invalid index', 321],
  ['network not ready', 331],
]);

export type ErrorFamily = 'cme' | 'cms';

export interface ResolvedError {
  /** The numeric code when the modem gave one or its text is one we know; undefined for empty or unknown text. */
  readonly code: number | undefined;
  readonly name: string;
  readonly retry: ErrorMeaning['retry'];
}

/** Resolves the part after `+CME ERROR:` / `+CMS ERROR:` (a number, a text, or nothing). */
export function resolveError(family: ErrorFamily, raw: string): ResolvedError {
  const text = raw.trim();
  const table = family === 'cme' ? cmeTable : cmsTable;
  if (/^\d+$/.test(text)) {
    const code = Number(text);
    const known = table.get(code);
    if (known) return known;
    return { code, name: unknownName(family, code), retry: 'never' };
  }
  if (text.length === 0) return { code: undefined, name: 'unspecified (empty error)', retry: 'later' };
  const key = normaliseText(text);
  const byText = (family === 'cme' ? cmeByText : cmsByText).get(key);
  if (byText) return byText;
  const alias = (family === 'cme' ? cmeAliases : cmsAliases).get(key);
  if (alias !== undefined) {
    const meaning = table.get(alias);
    if (meaning) return { ...meaning, name: text };
  }
  return { code: undefined, name: text, retry: 'never' };
}

function unknownName(family: ErrorFamily, code: number): string {
  if (family === 'cms') {
    if (code < 128) return `network RP-cause ${code}`;
    if (code < 256) return `TP-FCS 0x${code.toString(16).toUpperCase()}`;
    if (code >= 512) return `manufacturer specific ${code}`;
  }
  return `unknown code ${code}`;
}

export function describeCme(code: number): ErrorMeaning | undefined {
  return cmeTable.get(code);
}

export function describeCms(code: number): ErrorMeaning | undefined {
  return cmsTable.get(code);
}
