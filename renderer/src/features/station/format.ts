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
