/** The SMPP part's public face: other parts import only from here. */
export * from './codec/index.js';
export * from './text/index.js';
export * from './session/index.js';
export * from './trace/index.js';
export * from './proxy/index.js';
