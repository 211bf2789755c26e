/**
 * The emulator's AT command set: one handler per command family, answering as the profile's modem does.
 * Unknown commands answer ERROR, like a real modem.
 */
import { decodeSmsPdu } from '../../modem/index.js';
import type { ModemEmulator } from './emulator.js';
import { textTimestamp } from './emulator.js';

type Handler = (emu: ModemEmulator, match: RegExpExecArray, data: string | undefined) => void;

const ok = (emu: ModemEmulator): void => emu.final('OK');

/** Commands that need a ready SIM answer +CME ERROR: 10/11 (or +CMS 310/311 for SMS) otherwise. */
function simBlocked(emu: ModemEmulator, sms: boolean): boolean {
  const sim = emu.state.simState;
  if (sim === 'ready') return false;
  if (sms) emu.cmsError(sim === 'absent' ? 310 : 311);
  else emu.cmeError(sim === 'absent' ? 10 : 11);
  return true;
}

const handlers: ReadonlyArray<readonly [RegExp, Handler]> = [
  [/^AT$/, ok],
  [/^ATE([01])$/, (emu, m) => ((emu.state.echo = m[1] === '1'), ok(emu))],
  [/^AT(Z|&F|&W|H|\+IPR=\d+|\+CLIP=\d|\+CRC=\d|\+COPS=3,0|\+QURCCFG=.*)$/, ok],
  [/^AT\+CSDH=([01])$/, (emu, m) => ((emu.state.csdh = Number(m[1]) as 0 | 1), ok(emu))],
  [/^AT\+CMEE=([012])$/, (emu, m) => ((emu.state.cmee = Number(m[1]) as 0 | 1 | 2), ok(emu))],
  [/^AT\+CMEE\?$/, (emu) => emu.respond([`+CMEE: ${emu.state.cmee}`])],
  [/^AT\+CPIN\?$/, (emu) => {
    const sim = emu.state.simState;
    if (sim === 'absent') emu.cmeError(10);
    else emu.respond([sim === 'pin' ? '+CPIN: SIM PIN' : '+CPIN: READY']);
  }],
  [/^AT\+CPIN="?(\d+)"?$/, (emu, m) => {
    if (emu.state.simState === 'absent') return emu.cmeError(10);
    if (emu.state.simState === 'ready') return emu.cmeError(3);
    if (m[1] !== emu.pin) return emu.cmeError(16);
    emu.state.simState = 'ready';
    ok(emu);
    emu.later(() => emu.flavour.afterPin.forEach((l) => emu.urc(l)));
  }],
  [/^AT\+CSQ$/, (emu) => emu.respond([emu.registered() ? '+CSQ: 20,99' : '+CSQ: 99,99'])],
  [/^AT\+CSQ=\?$/, (emu) => emu.respond(['+CSQ: (0-31,99),(0-7,99)'])],
  [/^AT\+CPSI\?$/, (emu) => emu.respond([emu.registered() ? '+CPSI: LTE,Online,001-01,0x1F00,187214780,257,EUTRAN-BAND3,1300,5,5,-94,-850,-545,15' : '+CPSI: NO SERVICE,Online'])],
  [/^AT\+QCSQ$/, (emu) => emu.respond([emu.registered() ? '+QCSQ: "LTE",-52,-81,195,-10' : '+QCSQ: "NOSERVICE"'])],
  [/^AT\+CESQ$/, (emu) => emu.respond([emu.registered() ? '+CESQ: 99,99,255,255,20,44' : '+CESQ: 99,99,255,255,255,255'])],
  [/^AT\+(CREG|CGREG|CEREG)=(\d)$/, (emu, m) => ((emu.state.regUrc[m[1] as 'CREG'] = Number(m[2])), ok(emu))],
  [/^AT\+(CREG|CGREG|CEREG)\?$/, (emu, m) => {
    const n = emu.state.regUrc[m[1] as 'CREG'];
    const stat = emu.registered() ? 1 : emu.faults.has('no-network') ? 2 : 0;
    emu.respond([n === 2 && stat === 1 ? `+${m[1] ?? ''}: ${n},${stat},"1F00","079D903",7` : `+${m[1] ?? ''}: ${n},${stat}`]);
  }],
  [/^AT\+COPS\?$/, (emu) => {
    if (emu.state.simState === 'absent' && emu.state.cmee === 2) return emu.cmeError(30);
    emu.respond([emu.registered() ? `+COPS: 0,0,"Emulated Net"${emu.options.profile.name === 'simcom-sim800' ? '' : ',7'}` : '+COPS: 0']);
  }],
  [/^AT\+CGSN$/, (emu) => emu.respond(['869951030001234'])],
  [/^AT\+CIMI$/, (emu) => simBlocked(emu, false) || emu.respond(['001010123456789'])],
  [/^AT\+(CCID|ICCID|QCCID|CICCID)$/, (emu) => emu.respond([`${emu.flavour.iccidPrefix}8901260222102735463F`.replace(/F$/, '')])],
  [/^AT\+CRSM=176,12258,0,0,10$/, (emu) => emu.respond(['+CRSM: 144,0,"981062202201725364F3"'])],
  [/^AT\+CGMR$/, (emu) => emu.respond([emu.flavour.firmware])],
  [/^AT\+CGMM$/, (emu) => emu.respond([emu.flavour.model])],
  [/^AT\+CSCA\?$/, (emu) => simBlocked(emu, false) || emu.respond(['+CSCA: "+27829135930",145'])],
  [/^AT\+CFUN=(0|1)$/, (emu, m) => {
    emu.state.functional = m[1] === '1';
    ok(emu);
    emu.registrationChanged();
  }],
  [/^AT\+(CFUN=1,1|CRESET|CFUN=15|CFUN=16)$/, (emu) => {
    ok(emu);
    emu.later(() => emu.reboot(), 50);
  }],
  [/^AT\+CMGF=([01])$/, (emu, m) => {
    if (simBlocked(emu, true)) return;
    if (m[1] === '0' && emu.options.pduMode === false) return emu.cmsError(303);
    emu.state.cmgf = Number(m[1]) as 0 | 1;
    ok(emu);
  }],
  [/^AT\+CSCS="([A-Z0-9-]+)"$/, (emu, m) => ((emu.state.cscs = m[1] ?? 'GSM'), ok(emu))],
  [/^AT\+CSMP=(\d+),.*$/, (emu, m) => ((emu.state.csmpFo = Number(m[1])), ok(emu))],
  [/^AT\+CSMS=([01])$/, (emu, m) => ((emu.state.csms = Number(m[1]) as 0 | 1), emu.respond(['+CSMS: 1,1,1']))],
  [/^AT\+CNMA$/, (emu) => {
    if (emu.state.pendingAcks === 0) return emu.cmsError(340);
    emu.state.pendingAcks--;
    ok(emu);
  }],
  [/^AT\+CNMI=(\d),(\d),(\d),(\d),(\d)$/, (emu, m) => {
    const values = m.slice(1, 6).map(Number) as [number, number, number, number, number];
    if (values[3] === 2 && !emu.flavour.storedReports) return emu.final('ERROR');
    emu.state.cnmi = values;
    ok(emu);
  }],
  [/^AT\+CNMI=\?$/, (emu) => emu.respond([emu.flavour.storedReports ? '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)' : '+CNMI: (0-3),(0-3),(0,2),(0,1),(0,1)'])],
  [/^AT\+CPMS=(.+)$/, (emu, m) => {
    if (simBlocked(emu, true)) return;
    const memories = [...(m[1] ?? '').matchAll(/"([A-Z]{2})"/g)].map((x) => x[1] ?? '');
    if (memories.length === 0 || memories.some((mem) => !['SM', 'ME', 'MT', 'SR'].includes(mem))) return emu.cmsError(302);
    emu.state.readMemory = memories[0] ?? emu.state.readMemory;
    emu.state.writeMemory = memories[1] ?? emu.state.writeMemory;
    emu.state.receiveMemory = memories[2] ?? emu.state.receiveMemory;
    const s = emu.storage;
    const usage = [emu.state.readMemory, emu.state.writeMemory, emu.state.receiveMemory].map((mem) => `${s.used(mem)},${s.total(mem)}`);
    emu.respond([`+CPMS: ${usage.join(',')}`]);
  }],
  [/^AT\+CMGR=(\d+)$/, (emu, m) => {
    if (simBlocked(emu, true)) return;
    const sms = emu.storage.get(emu.state.readMemory, Number(m[1]));
    if (sms === undefined) return emu.flavour.emptySlotOk ? ok(emu) : emu.cmsError(321);
    const lines = storedLines(emu, sms, undefined);
    if (sms.stat === 0) sms.stat = 1;
    emu.respond(lines);
  }],
  [/^AT\+CMGL=(?:(\d)|"([A-Z ]+)")$/, (emu, m) => {
    if (simBlocked(emu, true)) return;
    const wanted = m[1] !== undefined ? Number(m[1]) : ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT', 'ALL'].indexOf(m[2] ?? '');
    if ((emu.state.cmgf === 0) !== (m[1] !== undefined) || wanted < 0) return emu.cmsError(302);
    const lines: string[] = [];
    for (const [index, sms] of emu.storage.list(emu.state.readMemory)) {
      if (wanted !== 4 && sms.stat !== wanted) continue;
      lines.push(...storedLines(emu, sms, index));
      if (sms.stat === 0) sms.stat = 1;
    }
    emu.respond(lines);
  }],
  [/^AT\+CMGD=(\d+)(?:,(\d))?$/, (emu, m) => {
    if (simBlocked(emu, true)) return;
    const flag = Number(m[2] ?? 0);
    if (flag > 0) emu.storage.deleteByFlag(emu.state.readMemory, flag);
    else emu.storage.delete(emu.state.readMemory, Number(m[1]));
    ok(emu);
  }],
  [/^AT\+CMGS=(\d+)$/, (emu, m, data) => sendPdu(emu, Number(m[1]), data, m[0] ?? '')],
  [/^AT\+CMGS="([^"]*)"(?:,\d+)?$/, (emu, m, data) => sendText(emu, m[1] ?? '', data, m[0] ?? '')],
  [/^AT\+CGNSPWR\?$/, (emu) => emu.respond([`+CGNSPWR: ${emu.state.gnssOn ? 1 : 0}`])],
  [/^AT\+CGPS\?$/, (emu) => emu.respond([`+CGPS: ${emu.state.gnssOn ? '1,1' : '0,1'}`])],
  [/^AT\+QGPS\?$/, (emu) => emu.respond([`+QGPS: ${emu.state.gnssOn ? 1 : 0}`])],
];

export function handleCommand(emu: ModemEmulator, line: string, data: string | undefined): void {
  const upper = line.toUpperCase().startsWith('AT') ? `AT${line.slice(2)}` : line;
  const power = emu.gnssPower(upper);
  if (power !== undefined) {
    if (emu.flavour.gnss === 'quectel-qgpsloc' && power === emu.state.gnssOn) return emu.cmeError(power ? 504 : 505);
    emu.state.gnssOn = power;
    return ok(emu);
  }
  const gnss = emu.gnssAnswer(upper);
  if (gnss === 'not-active') return emu.cmeError(505);
  if (gnss === 'no-fix-error') return emu.cmeError(516);
  if (gnss !== undefined) return emu.respond(gnss);
  for (const [pattern, handler] of handlers) {
    const match = pattern.exec(upper);
    if (match) return handler(emu, match, data);
  }
  emu.final('ERROR');
}

function storedLines(emu: ModemEmulator, sms: { stat: number; pdu: string; tpduLength: number }, index: number | undefined): string[] {
  const prefix = index === undefined ? '+CMGR: ' : `+CMGL: ${index},`;
  const alpha = index === undefined ? '""' : emu.flavour.cmglAlpha;
  if (emu.state.cmgf === 0) return [`${prefix}${sms.stat},${alpha},${sms.tpduLength}`, sms.pdu];
  const stat = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT'][sms.stat] ?? 'REC READ';
  const pdu = decodeSmsPdu(sms.pdu);
  if (pdu.type === 'SMS-DELIVER') return [`${prefix}"${stat}","${pdu.originator.value}","","${textTimestamp(pdu.scts ?? '')}"`, pdu.userData.text ?? ''];
  if (pdu.type === 'SMS-STATUS-REPORT') return [`${prefix}"${stat}",6,${pdu.mr},"${pdu.recipient.value}",129,"${textTimestamp(pdu.scts ?? '')}","${textTimestamp(pdu.dischargeTime ?? '')}",${pdu.status.value}`];
  return [`${prefix}"${stat}","${pdu.destination.value}",""`, pdu.userData.text ?? ''];
}

/** PDU-mode send: prompt, then validate the PDU and its length (CMS 304 when they disagree, as G6 describes). */
function sendPdu(emu: ModemEmulator, length: number, data: string | undefined, command: string): void {
  if (simBlocked(emu, true)) return;
  if (emu.state.cmgf !== 0) return emu.cmsError(304);
  if (data === undefined) return emu.startEntry(command);
  let submit;
  try {
    submit = decodeSmsPdu(data);
  } catch {
    return emu.cmsError(304);
  }
  if (submit.type !== 'SMS-SUBMIT' || submit.tpduLength !== length) return emu.cmsError(304);
  if (!transmit(emu)) return;
  const mr = emu.nextReference();
  emu.respond([`+CMGS: ${mr}`]);
  if (submit.statusReportRequest) emu.scheduleStatusReport(mr, submit.destination.value, false);
}

function sendText(emu: ModemEmulator, to: string, data: string | undefined, command: string): void {
  if (simBlocked(emu, true)) return;
  if (emu.state.cmgf !== 1) return emu.cmsError(305);
  if (data === undefined) return emu.startEntry(command);
  if (data === '') return emu.cmsError(305);
  if (!transmit(emu)) return;
  const mr = emu.nextReference();
  emu.respond([`+CMGS: ${mr}`]);
  const recipient = emu.state.cscs === 'UCS2' ? String.fromCharCode(...(to.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16))) : to;
  if ((emu.state.csmpFo & 0x20) !== 0) emu.scheduleStatusReport(mr, recipient, true);
}

/** The radio part of a send: fails with +CMS ERROR: 500 when there is no network or it drops mid-send. */
function transmit(emu: ModemEmulator): boolean {
  if (emu.faults.has('network-lost-during-send')) {
    emu.faults.delete('network-lost-during-send');
    emu.faults.add('no-network');
    emu.registrationChanged();
    emu.cmsError(500);
    // The network comes back a little later, as in sim800-network-lost.txt.
    emu.later(() => {
      emu.faults.delete('no-network');
      emu.registrationChanged();
    }, 200);
    return false;
  }
  if (!emu.registered()) {
    emu.cmsError(emu.state.simState === 'ready' ? 500 : 310);
    return false;
  }
  return true;
}
