/** Display formatting, in the UI language. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Decimal units (1 GB = 10^9 bytes), as disk makers print on the box. */
export function formatBytes(bytes: number, lng: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(lng, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}

/** Time of day for today's events, date and time for older ones. */
export function formatTime(time: string | number, lng: string, now = new Date()): string {
  const d = new Date(time);
  const today = d.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(lng, today ? { timeStyle: 'medium' } : { dateStyle: 'short', timeStyle: 'medium' }).format(d);
}

export function formatCount(n: number, lng: string): string {
  return new Intl.NumberFormat(lng).format(n);
}

/** A clip's length so far: m:ss, or h:mm:ss past an hour. Never negative (clocks differ a little). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** Time of day with seconds, 24-hour, for the scan log. */
export function formatClock(time: string | number, lng: string): string {
  return new Intl.DateTimeFormat(lng, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(time));
}
