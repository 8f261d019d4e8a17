/**
 * What the station says after a scan, in both languages (catalogue codes `scan.*`, shared/messages). The station screen shows and speaks these;
 * the API returns them so a second scanner app or a foot pedal gets the same words.
 */
import type { ClipMode, ScanWarningCode } from '../../../shared/api.js';
import { bothLanguages, msg, type Message, type MessageCode } from '../../../shared/messages/index.js';
import type { Reason } from './clip-state-machine.js';

type Msg = { 'zh-CN': string; en: string };

/** The clip a scan ended: its codes and length, so the packer hears which parcel's video closed. */
export interface EndedClip {
  codes: string[];
  lengthMs: number;
}

function clipLengthMessage(ms: number): Message {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return msg('scan.lengthHours', { hours: h, minutes: pad(m) });
  if (m > 0) return msg('scan.lengthMinutes', { minutes: m, seconds: pad(s) });
  return msg('scan.lengthSeconds', { seconds: s });
}

/** "1 分 05 秒" / "1 min 05 s"; whole seconds, hours above 60 minutes. */
export function clipLength(ms: number): Msg {
  return bothLanguages(clipLengthMessage(ms));
}

/** "：SF123，时长 1 分 05 秒" / ": SF123, 1 min 05 s", or nothing when the ended clip is unknown. */
function endedPart(ended: EndedClip | null | undefined): Message | '' {
  return ended ? msg('scan.endedPart', { codes: ended.codes.join(' '), length: clipLengthMessage(ended.lengthMs) }) : '';
}

/** Each reason's catalogue code (shared/messages, `scan.*`); null: nothing to say. */
const CODES: Record<Reason, MessageCode | null> = {
  'first-scan': 'scan.firstScan',
  'next-scan': 'scan.nextScan',
  'waybill-attached': 'scan.waybillAttached',
  'stop-code': 'scan.stopCode',
  'repeat-scan': 'scan.repeatScan',
  'cancel-code': 'scan.cancelCode',
  'max-length': 'scan.maxLength',
  'double-scan': 'scan.doubleScan',
  'already-on-clip': 'scan.alreadyOnClip',
  'nothing-to-stop': 'scan.nothingToStop',
  'ignore-rule': 'scan.ignoreRule',
  'mode-set': 'scan.modeSet',
  empty: 'scan.empty',
  'control-characters': 'scan.controlCharacters',
  'too-long': 'scan.tooLong',
  'no-rule': 'scan.noRule',
  'unknown-command': 'scan.unknownCommand',
  idle: 'scan.idle',
  'packer-signed-in': 'scan.packerSignedIn',
  'packer-signed-out': 'scan.packerSignedOut',
  'item-attached': 'scan.itemAttached',
  'item-no-clip': 'scan.itemNoClip',
  'item-started': 'scan.itemStarted',
  'filed-under': 'scan.filedUnder',
  'not-expired': null,
  'not-idle': null,
};

const MODE_NAMES: Record<ClipMode, Message> = {
  pack: msg('scan.modePack'),
  return: msg('scan.modeReturn'),
  ship: msg('scan.modeShip'),
};

/** What the station says after a scan, as a message (the API's `text`); null: nothing to say. */
export function scanText(reason: Reason, code: string, mode: ClipMode, ended: EndedClip | null = null): Message | null {
  const c = CODES[reason];
  if (!c) return null;
  const length = reason === 'repeat-scan' && ended ? msg('scan.repeatLength', { length: clipLengthMessage(ended.lengthMs) }) : '';
  return msg(c, { code, mode: MODE_NAMES[mode], ended: endedPart(ended), length });
}

/** The same in both languages (the API's `message`, and the scan log, which stores it). */
export function scanMessage(reason: Reason, code: string, mode: ClipMode, ended: EndedClip | null = null): Msg {
  const text = scanText(reason, code, mode, ended);
  return text ? bothLanguages(text) : { 'zh-CN': '', en: '' };
}

/** A scan's sentence followed by a note about it (the code was on a clip before). */
export function withNote(text: Message | null, note: Message): Message {
  return text ? msg('scan.withNote', { message: text, note }) : note;
}

export function duplicateNote(count: number): Message {
  return msg('scan.duplicate', { count });
}

/** A clip is open while the station is not recording: said in words a packer with busy hands takes in. */
export function notFilmedWarning(code: ScanWarningCode): Message {
  return msg(code === 'disk-full' ? 'scan.diskFull' : 'scan.cameraDown');
}
