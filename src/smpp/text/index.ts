/** The public face of the SMPP text layer: alphabets, packing, UDH, splitting and reassembly. */
export {
  gsm7Encode,
  gsm7Decode,
  gsm7Septets,
  gsm7Unencodable,
  gsm7CharSeptets,
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
