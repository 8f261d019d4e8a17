/**
 * What the station says after a scan, in both languages. The station screen shows and speaks these;
 * the API returns them so a second scanner app or a foot pedal gets the same words.
 */
import type { ClipMode, ScanWarningCode } from '../../../shared/api.js';
import type { Reason } from './clip-state-machine.js';

type Msg = { 'zh-CN': string; en: string };
type Vars = { code: string; mode?: string; modeEn?: string; ended?: EndedClip | null };

/** The clip a scan ended: its codes and length, so the packer hears which parcel's video closed. */
export interface EndedClip {
  codes: string[];
  lengthMs: number;
}

/** "1 分 05 秒" / "1 min 05 s"; whole seconds, hours above 60 minutes. */
export function clipLength(ms: number): Msg {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return { 'zh-CN': `${h} 小时 ${pad(m)} 分`, en: `${h} h ${pad(m)} min` };
  if (m > 0) return { 'zh-CN': `${m} 分 ${pad(s)} 秒`, en: `${m} min ${pad(s)} s` };
  return { 'zh-CN': `${s} 秒`, en: `${s} s` };
}

/** "：SF123，时长 1 分 05 秒" / ": SF123, 1 min 05 s", or nothing when the ended clip is unknown. */
function endedPart(ended: EndedClip | null | undefined): Msg {
  if (!ended) return { 'zh-CN': '', en: '' };
  const len = clipLength(ended.lengthMs);
  return { 'zh-CN': `：${ended.codes.join(' ')}，时长 ${len['zh-CN']}`, en: `: ${ended.codes.join(' ')}, ${len.en}` };
}

const table: Record<Reason, (v: Vars) => Msg> = {
  'first-scan': (v) => ({ 'zh-CN': `开始录制 ${v.code}`, en: `Recording ${v.code}` }),
  'next-scan': (v) => ({ 'zh-CN': `上一单已结束，开始录制 ${v.code}`, en: `Previous clip closed; recording ${v.code}` }),
  'waybill-attached': (v) => ({ 'zh-CN': `运单 ${v.code} 已关联到当前订单`, en: `Waybill ${v.code} added to the current clip` }),
  'stop-code': (v) => ({ 'zh-CN': `录制结束${endedPart(v.ended)['zh-CN']}`, en: `Clip stopped${endedPart(v.ended).en}` }),
  'repeat-scan': (v) => ({ 'zh-CN': `再次扫描 ${v.code}，录制结束${v.ended ? `，时长 ${clipLength(v.ended.lengthMs)['zh-CN']}` : ''}`, en: `${v.code} scanned again: clip stopped${v.ended ? `, ${clipLength(v.ended.lengthMs).en}` : ''}` }),
  'cancel-code': () => ({ 'zh-CN': '本单已作废（视频保留）', en: 'Clip cancelled (footage kept)' }),
  'max-length': (v) => ({ 'zh-CN': `已达最长录制时间，自动结束${endedPart(v.ended)['zh-CN']}`, en: `Maximum clip length reached: clip stopped${endedPart(v.ended).en}` }),
  'double-scan': (v) => ({ 'zh-CN': `重复扫描 ${v.code}，已忽略`, en: `Double scan of ${v.code} ignored` }),
  'already-on-clip': (v) => ({ 'zh-CN': `${v.code} 正在录制中，继续录制`, en: `Already recording ${v.code}: the clip goes on` }),
  'nothing-to-stop': () => ({ 'zh-CN': '当前没有在录制的订单', en: 'No clip is recording' }),
  'ignore-rule': (v) => ({ 'zh-CN': `已忽略：${v.code}`, en: `Ignored: ${v.code}` }),
  'mode-set': (v) => ({ 'zh-CN': `已切换为${v.mode}模式`, en: `Mode: ${v.modeEn}` }),
  empty: () => ({ 'zh-CN': '空条码，已拒绝', en: 'Empty scan rejected' }),
  'control-characters': () => ({ 'zh-CN': '条码含有控制字符，已拒绝', en: 'Rejected: the scan contains control characters' }),
  'too-long': () => ({ 'zh-CN': '条码过长（超过128个字符），已拒绝', en: 'Rejected: longer than 128 characters' }),
  'no-rule': (v) => ({ 'zh-CN': `无法识别的条码：${v.code}`, en: `Not an order or waybill number: ${v.code}` }),
  'unknown-command': (v) => ({ 'zh-CN': `未知的指令码：${v.code}`, en: `Unknown command code: ${v.code}` }),
  'not-expired': () => ({ 'zh-CN': '', en: '' }),
  idle: (v) => ({ 'zh-CN': `工作台无活动，自动结束${endedPart(v.ended)['zh-CN']}`, en: `No activity at the bench: clip stopped${endedPart(v.ended).en}` }),
  'not-idle': () => ({ 'zh-CN': '', en: '' }),
  'packer-signed-in': (v) => ({ 'zh-CN': `打包员 ${v.code} 已签到`, en: `Packer ${v.code} signed in` }),
  'packer-signed-out': () => ({ 'zh-CN': '打包员已签退', en: 'Packer signed out' }),
  'item-attached': (v) => ({ 'zh-CN': `商品 ${v.code} 已记入当前订单`, en: `Item ${v.code} added to the current clip` }),
  // Said plainly: the packer scanned the product instead of the order, and nothing is being filmed.
  'item-no-clip': (v) => ({ 'zh-CN': `${v.code} 是商品条码，不是订单号或运单号：未开始录制`, en: `${v.code} is a product code, not an order or waybill: nothing is recording` }),
  'item-started': (v) => ({ 'zh-CN': `开始录制（商品 ${v.code}），贴好面单后扫描运单号`, en: `Recording from item ${v.code}; scan the waybill once the label is on` }),
  'filed-under': (v) => ({ 'zh-CN': `本单视频已归入 ${v.code}`, en: `Clip filed under ${v.code}` }),
};

const MODE_NAMES: Record<ClipMode, Msg> = {
  pack: { 'zh-CN': '打包', en: 'packing' },
  return: { 'zh-CN': '退货拆包', en: 'returns unboxing' },
  ship: { 'zh-CN': '发货交接', en: 'hand-over' },
};

export function scanMessage(reason: Reason, code: string, mode: ClipMode, ended: EndedClip | null = null): Msg {
  return table[reason]({ code, mode: MODE_NAMES[mode]['zh-CN'], modeEn: MODE_NAMES[mode].en, ended });
}

export function duplicateNote(count: number): Msg {
  return { 'zh-CN': `注意：该单号近期已录制过 ${count} 次`, en: `Warning: this code was already recorded ${count} time(s) recently` };
}

/** A clip is open while the station is not recording: said in words a packer with busy hands takes in. */
export function notFilmedWarning(code: ScanWarningCode): Msg {
  return code === 'disk-full'
    ? { 'zh-CN': '磁盘已满，录像已暂停：这个包裹没有被拍下来', en: 'Disk full, recording paused: this parcel is NOT being filmed' }
    : { 'zh-CN': '摄像头没有在录像：这个包裹没有被拍下来', en: 'Camera not recording: this parcel is NOT being filmed' };
}
