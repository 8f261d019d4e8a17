/**
 * The health page's sizes and spans in the UI language: the numbers by Intl, the units from the
 * message catalogue (`units.*`), so the Chinese page says 小时 and 分钟, not h and min.
 */
import { msg, render, type MessageLanguage } from '../../../../shared/messages/index';
import { formatBytes as formatBytesIn } from '../station/format';

/** Sizes as a disk's label says them (decimal: 1 GB = 10^9 bytes), so they match the PC's own numbers on Windows within rounding. */
export function formatBytes(bytes: number, lng: MessageLanguage): string {
  return formatBytesIn(Math.max(0, bytes), lng);
}

/** A long span for people: 3 d 4 h, 5 h 12 min, 7 min (3 天 4 小时, …). */
export function formatSpan(ms: number, lng: MessageLanguage): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  const days = Math.floor(min / 1440);
  const hours = Math.floor((min % 1440) / 60);
  const minutes = min % 60;
  if (days > 0) return render(msg('units.spanDaysHours', { days, hours }), lng);
  if (hours > 0) return render(msg('units.spanHoursMinutes', { hours, minutes }), lng);
  return render(msg('units.spanMinutes', { minutes }), lng);
}
