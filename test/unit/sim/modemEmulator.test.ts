/** The emulator's wire format, without a pty: the bytes it answers with, per profile, as the captures show them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile } from '../../../src/modem/index.js';
import { ModemEmulator, type EmulatorOptions } from '../../../src/sim/modem/index.js';

function emulator(profile: string, extra: Partial<EmulatorOptions> = {}): { emu: ModemEmulator; out: () => string; type: (text: string) => void } {
  let out = '';
  const emu = new ModemEmulator({ profile: loadProfile(profile), delayMs: 0, ...extra }, (bytes) => (out += bytes.toString('latin1')));
  return {
    emu,
    out: () => {
      const text = out;
      out = '';
      return text;
    },
    type: (text) => emu.input(Buffer.from(text, 'latin1')),
  };
}

describe('ModemEmulator wire format', () => {
  it('echoes with a bare CR and frames answers CR LF … CR LF, until ATE0', () => {
    const { out, type, emu } = emulator('simcom-sim800');
    type('AT\r');
    assert.equal(out(), 'AT\r\r\nOK\r\n');
    type('ATE0\r');
    assert.equal(out(), 'ATE0\r\r\nOK\r\n');
    type('AT+CSQ\r');
    assert.equal(out(), '\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    emu.close();
  });

  it('prompts with CR LF > SP, checks the PDU length (CMS 304) and answers +CMGS', () => {
    const { out, type, emu } = emulator('simcom-sim800');
    type('ATE0\rAT+CMEE=1\r');
    out();
    type('AT+CMGS=29\r');
    assert.equal(out(), '\r\n> ');
    type('0011000B917228214365F70000A711C8329BFD0699E5EF36888E2E83A069\x1a');
    assert.match(out(), /^\r\n\+CMGS: \d+\r\n\r\nOK\r\n$/);
    type('AT+CMGS=5\r');
    out();
    type('0011\x1a');
    assert.equal(out(), '\r\n+CMS ERROR: 304\r\n');
    type('AT+CMGS=29\r');
    out();
    type('\x1b');
    assert.equal(out(), '\r\nOK\r\n');
    emu.close();
  });

  it('delivers as +CMTI or +CMT in each family\'s header form', () => {
    const sim7600 = emulator('simcom-sim7600');
    sim7600.type('ATE0\rAT+CNMI=2,2,0,0,0\r');
    sim7600.out();
    sim7600.emu.receive({ from: '+27829999999', text: 'hi' });
    assert.match(sim7600.out(), /^\r\n\+CMT: ,\d+\r\n[0-9A-F]+\r\n$/);
    sim7600.emu.close();
    const sim800 = emulator('simcom-sim800');
    sim800.type('ATE0\rAT+CNMI=2,2,0,0,0\r');
    sim800.out();
    sim800.emu.receive({ from: '+27829999999', text: 'hi' });
    assert.match(sim800.out(), /^\r\n\+CMT: "",\d+\r\n[0-9A-F]+\r\n$/);
    sim800.type('AT+CNMI=2,1,0,0,0\r');
    sim800.out();
    sim800.emu.receive({ from: '+27829999999', text: 'hi' });
    assert.equal(sim800.out(), '\r\n+CMTI: "SM",1\r\n');
    sim800.emu.close();
  });

  it('refuses stored status reports where the family does (SIM800 rejects CNMI ds=2)', () => {
    const { out, type, emu } = emulator('simcom-sim800');
    type('ATE0\rAT+CNMI=2,1,0,2,0\r');
    assert.match(out(), /ERROR\r\n$/);
    emu.close();
  });

  it('answers no-SIM and SIM-PIN the way captures show, and unlocks with the PIN', () => {
    const missing = emulator('simcom-sim7600', { faults: ['no-sim'] });
    missing.type('ATE0\rAT+CMEE=2\rAT+CPIN?\r');
    assert.match(missing.out(), /\+CME ERROR: SIM not inserted\r\n$/);
    missing.emu.close();
    const locked = emulator('quectel-ec25', { faults: ['sim-pin'] });
    locked.type('ATE0\rAT+CMEE=1\rAT+CPIN?\r');
    assert.match(locked.out(), /\+CPIN: SIM PIN\r\n\r\nOK\r\n$/);
    locked.type('AT+CPIN="0000"\r');
    assert.equal(locked.out(), '\r\n+CME ERROR: 16\r\n');
    locked.type('AT+CPIN="1234"\r');
    assert.equal(locked.out(), '\r\nOK\r\n');
    locked.emu.close();
  });

  it('stays silent while hung', () => {
    const { out, type, emu } = emulator('generic-3gpp', { faults: ['hang'] });
    type('AT\r');
    assert.equal(out(), '');
    emu.setFault('hang', false);
    type('AT\r');
    assert.equal(out(), 'AT\r\r\nOK\r\n');
    emu.close();
  });
});
