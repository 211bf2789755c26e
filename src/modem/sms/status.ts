/**
 * TP-Status of an SMS-STATUS-REPORT (3GPP TS 23.040 §9.2.3.15): what became of a message we sent.
 */

export type StatusCategory =
  /** The transaction is complete: delivered, forwarded or replaced. */
  | 'completed'
  /** Temporary error; the SC is still trying. */
  | 'temporary'
  /** Permanent error; the SC is not trying any more. */
  | 'permanent'
  /** Temporary error, but the SC has stopped trying: final too. */
  | 'temporaryFinal';

export interface TpStatus {
  value: number;
  /** A short machine name (`delivered`, `congestion`, `validityExpired`, …; `scSpecific` and `reserved` for those ranges). */
  name: string;
  meaning: string;
  category: StatusCategory;
  /** No further report will come for this message. */
  final: boolean;
  delivered: boolean;
}

const COMPLETED: Record<number, [string, string]> = {
  0x00: ['delivered', 'short message received by the SME'],
  0x01: ['forwardedUnconfirmed', 'forwarded by the SC to the SME, delivery not confirmed'],
  0x02: ['replaced', 'short message replaced by the SC'],
};

/** Causes shared by 0x20–0x25 and 0x60–0x65. */
const TEMPORARY: Record<number, [string, string]> = {
  0x0: ['congestion', 'congestion'],
  0x1: ['smeBusy', 'SME busy'],
  0x2: ['noResponseFromSme', 'no response from SME'],
  0x3: ['serviceRejected', 'service rejected'],
  0x4: ['qualityOfServiceNotAvailable', 'quality of service not available'],
  0x5: ['errorInSme', 'error in SME'],
};

const PERMANENT: Record<number, [string, string]> = {
  0x40: ['remoteProcedureError', 'remote procedure error'],
  0x41: ['incompatibleDestination', 'incompatible destination'],
  0x42: ['connectionRejectedBySme', 'connection rejected by SME'],
  0x43: ['notObtainable', 'not obtainable'],
  0x44: ['qualityOfServiceNotAvailable', 'quality of service not available'],
  0x45: ['noInterworkingAvailable', 'no interworking available'],
  0x46: ['validityExpired', 'SM validity period expired'],
  0x47: ['deletedByOriginatingSme', 'SM deleted by originating SME'],
  0x48: ['deletedByScAdministration', 'SM deleted by SC administration'],
  0x49: ['doesNotExist', 'SM does not exist'],
};

export function describeStatus(value: number): TpStatus {
  const v = value & 0xff;
  const block = v & 0x60;
  const low = v & 0x1f;
  // 23.040 §9.2.3.15: bit 7 is reserved; a receiver treats an unknown value in a block as that block's "SC specific"/reserved.
  const category: StatusCategory = block === 0x00 ? 'completed' : block === 0x20 ? 'temporary' : block === 0x40 ? 'permanent' : 'temporaryFinal';
  const final = category !== 'temporary';
  const prefix = {
    completed: 'transaction completed',
    temporary: 'temporary error, SC still trying',
    permanent: 'permanent error, SC not trying',
    temporaryFinal: 'temporary error, SC not trying',
  }[category];
  let known: [string, string] | undefined;
  if (v < 0x80) {
    if (category === 'completed') known = COMPLETED[v];
    else if (category === 'permanent') known = PERMANENT[v];
    else known = TEMPORARY[low];
  }
  const [name, cause] = known ?? (v < 0x80 && low >= 0x10 ? ['scSpecific', 'SC specific'] : ['reserved', 'reserved']);
  return { value: v, name, meaning: `${prefix}: ${cause}`, category, final, delivered: v === 0x00 || v === 0x01 || v === 0x02 };
}
