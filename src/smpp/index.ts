/** The SMPP part's public face: other parts import only from here. */
export * from './codec/index.js';
// text helper (branch `text`): export * from './text/index.js';
