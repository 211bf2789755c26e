/**
 * The part of node-smpp 0.5 (npm `smpp`, CommonJS, untyped) that the interop tests and the codec
 * benchmark use: PDU construction, encoding and decoding. Field values are left `unknown`; the
 * typed wrapper in nodeSmpp.ts narrows them.
 */
declare module 'smpp' {
  interface NodeSmppPdu {
    command: string;
    command_length: number;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    toBuffer(): Buffer;
    isResponse(): boolean;
  }

  interface NodeSmppPduClass {
    new (command: string, options?: Record<string, unknown>): NodeSmppPdu;
    /** Decodes one PDU; `false` when the buffer is shorter than 16 octets or than command_length. */
    fromBuffer(buffer: Buffer): NodeSmppPdu | false;
    maxLength: number;
  }

  const smpp: { readonly PDU: NodeSmppPduClass };
  export default smpp;
  export type { NodeSmppPdu, NodeSmppPduClass };
}
