/** What the SMS PDU codec uses from other parts, in one place (the text layer's public face and the error type). */
export {
  buildDcs,
  buildUdh,
  gsm7Decode,
  gsm7Encode,
  gsm7Septets,
  packSeptets,
  parseDcs,
  parseUdh,
  splitBinary,
  splitText,
  ucs2Decode,
  ucs2Encode,
  unpackSeptets,
  chooseEncoding,
  type DataCodingScheme,
  type DcsAlphabet,
  type MessageClass,
  type ParsedUdh,
  type PortAddressing,
  type UdhElement,
} from '../../smpp/index.js';
export { AgentError, ErrorCode, isAgentError } from '../../errors.js';
