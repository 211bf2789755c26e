/** The public face of the SMPP text layer: alphabets, packing, UDH, splitting and reassembly. */
export {
  gsm7Encode,
  gsm7Decode,
  gsm7Septets,
  gsm7Unencodable,
  gsm7CharSeptets,
  gsm7ExtensionChar,
  GSM7_ESCAPE,
  GSM7_EXTENSION_CHARACTERS,
} from './gsm7.js';
export {
  packSeptets,
  unpackSeptets,
  packedLength,
  septetsInOctets,
  fillBitsAfterUdh,
  stripCrPadding,
  type PackOptions,
} from './septets.js';
export { ucs2Encode, ucs2Decode, ucs2Units } from './ucs2.js';
export { latin1Encode, latin1Decode, latin1Unencodable, asciiEncode, asciiDecode, asciiUnencodable } from './latin1.js';
export { encodeText, decodeText, textUnits, isTextEncoding, TEXT_ENCODINGS, type TextEncoding } from './encoding.js';
export {
  dataCodingFor,
  encodingForDataCoding,
  parseDcs,
  buildDcs,
  type DataCodingScheme,
  type DcsAlphabet,
  type MessageClass,
  type MwiKind,
} from './data-coding.js';
export { chooseEncoding, type ChooseOptions, type EncodingChoice } from './choose.js';
export { buildUdh, parseUdh, Iei, type UdhElement, type ParsedUdh } from './udh.js';
export {
  splitText,
  splitBinary,
  partCapacity,
  USER_DATA_OCTETS,
  type SplitMethod,
  type SplitTextOptions,
  type SplitCommonOptions,
  type SplitPart,
  type SplitResult,
  type PortAddressing,
} from './split.js';
export { TextTlvTag } from './tlv.js';
export {
  Reassembler,
  type Fragment,
  type ReassembledMessage,
  type PartialMessage,
  type ReassemblerOptions,
} from './reassembly.js';
export { readShortMessage, joinParts, type ShortMessageInput, type IncomingShortMessage, type ConcatInfo } from './incoming.js';
export { gsm7DecodeNational, supportsShiftTables, NATIONAL_LANGUAGE_IDS, type ShiftTables, type NationalLanguage } from './national.js';
