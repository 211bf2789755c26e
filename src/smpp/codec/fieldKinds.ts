/**
 * The wire kinds of mandatory body fields, in their own module so that both the layout table
 * (layouts.ts) and the code compiled from it (builders.ts) can use them without an import cycle.
 */
export const FieldKind = {
  /** C-Octet String, NUL-terminated, at most `max` octets including the NUL. */
  cstring: 0,
  /** 1-octet unsigned integer. */
  int1: 1,
  /** sm_length (1 octet) followed by that many octets of short_message. */
  shortMessage: 2,
  /** submit_multi: number_of_dests then dest_flag-tagged SME addresses or distribution list names. */
  destAddresses: 3,
  /** submit_multi_resp: no_unsuccess then (ton, npi, address, error_status_code) entries. */
  unsuccessSmes: 4,
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

export interface FieldSpec<N extends string = string> {
  readonly name: N;
  readonly kind: FieldKind;
  /** Maximum octets including the NUL for cstring fields; 0 otherwise. */
  readonly max: number;
}
