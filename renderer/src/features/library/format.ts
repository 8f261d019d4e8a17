/** Dates and lengths for the library, in the UI language and the PC's time zone. */

/** Date and time to the second, e.g. 2026/11/23 10:38:05. */
export function formatDateTime(time: string | number, lng: string): string {
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' }).format(new Date(time));
}

/** A clip's length: 8.0 s under a minute, else m:ss or h:mm:ss. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A position in a video: m:ss.cc (hundredths: frame stepping shows every change). */
export function formatPosition(seconds: number): string {
  const t = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

/** How long a clip ran, from its start and end times (what the search rows can show too); null while recording. */
export function clipDurationMs(c: { startedAt: string; endedAt: string | null }): number | null {
  if (!c.endedAt) return null;
  return Date.parse(c.endedAt) - Date.parse(c.startedAt);
}

/** Who packed a clip: "张三 (PK-007)", or the badge alone when the station had no name for it; null: nobody signed in. */
export function packerText(clip: { packer?: string | null; packerName?: string | null }): string | null {
  if (!clip.packer) return null;
  const name = clip.packerName ?? clip.packer;
  return name === clip.packer ? clip.packer : `${name} (${clip.packer})`;
}
