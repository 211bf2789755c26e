/**
 * How each profile's real modem talks, for the emulator: boot URCs, identity answers, the GNSS answer format,
 * and small habits (empty slot answers OK or +CMS ERROR: 321). Strings are taken from shared/modem/ captures.
 */
import type { GnssParserName } from '../../modem/index.js';

export interface Flavour {
  readonly boot: readonly string[];
  /** Boot URCs printed without a SIM (the +CPIN line differs). */
  readonly bootNoSim: readonly string[];
  readonly bootSimPin: readonly string[];
  /** After a correct PIN: the SIM and SMS ready URCs. */
  readonly afterPin: readonly string[];
  readonly model: string;
  readonly firmware: string;
  readonly iccidCommand: string;
  readonly iccidPrefix: string;
  readonly gnss: GnssParserName;
  readonly emptySlotOk: boolean;
  /** Whether this family accepts CNMI ds=2. */
  readonly storedReports: boolean;
  readonly memory: string;
}

const simcom800: Flavour = {
  boot: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'],
  bootNoSim: ['RDY', '+CFUN: 1', '+CPIN: NOT INSERTED'],
  bootSimPin: ['RDY', '+CFUN: 1', '+CPIN: SIM PIN'],
  afterPin: ['+CPIN: READY', 'Call Ready', 'SMS Ready'],
  model: 'SIMCOM_SIM808',
  firmware: 'Revision:1418B05SIM808M32',
  iccidCommand: 'AT+CCID',
  iccidPrefix: '',
  gnss: 'simcom-cgnsinf',
  emptySlotOk: true,
  storedReports: false,
  memory: 'SM',
};

export const flavours: Readonly<Record<string, Flavour>> = {
  'simcom-sim800': simcom800,
  'simcom-sim7000': {
    ...simcom800,
    boot: ['+CPIN: READY', 'SMS Ready'],
    bootNoSim: ['+CPIN: NOT INSERTED'],
    bootSimPin: ['+CPIN: SIM PIN'],
    afterPin: ['+CPIN: READY', 'SMS Ready'],
    model: 'SIMCOM_SIM7000G',
    firmware: 'Revision:1529B07SIM7000G',
    storedReports: true,
  },
  'simcom-sim7600': {
    boot: ['RDY', '+CPIN: READY', 'SMS DONE', 'PB DONE'],
    bootNoSim: ['RDY', '+CPIN: NOT INSERTED'],
    bootSimPin: ['RDY', '+CPIN: SIM PIN'],
    afterPin: ['+CPIN: READY', 'SMS DONE', 'PB DONE'],
    model: 'SIMCOM_SIM7600G-H',
    firmware: '+CGMR: LE20B04SIM7600G22',
    iccidCommand: 'AT+CICCID',
    iccidPrefix: '+ICCID: ',
    gnss: 'simcom-cgpsinfo',
    emptySlotOk: true,
    storedReports: false,
    memory: 'ME',
  },
  'quectel-ec25': {
    boot: ['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE'],
    bootNoSim: ['RDY', '+CFUN: 1', '+CPIN: NOT INSERTED'],
    bootSimPin: ['RDY', '+CFUN: 1', '+CPIN: SIM PIN'],
    afterPin: ['+CPIN: READY', '+QUSIM: 1', '+QIND: PB DONE', '+QIND: SMS DONE'],
    model: 'EC25',
    firmware: 'EC25EFAR06A06M4G',
    iccidCommand: 'AT+QCCID',
    iccidPrefix: '+QCCID: ',
    gnss: 'quectel-qgpsloc',
    emptySlotOk: false,
    storedReports: true,
    memory: 'ME',
  },
  'ublox-sara-r4': {
    boot: [],
    bootNoSim: [],
    bootSimPin: [],
    afterPin: [],
    model: 'SARA-R410M-02B',
    firmware: 'L0.0.00.00.05.06 [Feb 03 2018 13:00:41]',
    iccidCommand: 'AT+CCID',
    iccidPrefix: '+CCID: ',
    gnss: 'ublox-uloc',
    emptySlotOk: false,
    storedReports: true,
    memory: 'SM',
  },
  'generic-3gpp': {
    boot: ['RDY'],
    bootNoSim: ['RDY'],
    bootSimPin: ['RDY'],
    afterPin: [],
    model: 'Generic 3GPP modem',
    firmware: '1.0',
    iccidCommand: 'AT+CRSM=176,12258,0,0,10',
    iccidPrefix: '',
    gnss: 'none',
    emptySlotOk: false,
    storedReports: true,
    memory: 'SM',
  },
};

export function flavourFor(profile: string): Flavour {
  if (profile === 'quectel-bg96') return { ...(flavours['quectel-ec25'] as Flavour), model: 'BG96', firmware: 'BG96MAR02A07M1G', memory: 'SM' };
  return flavours[profile] ?? (flavours['generic-3gpp'] as Flavour);
}
