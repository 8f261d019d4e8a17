/**
 * A generated station history for the index-growth benchmark and the compaction tests: days of one
 * camera recording 10 hours a day, a segment every 2 s (18,000 a day), each indexed with its signed
 * chain entry exactly as the station does (Segments + SegmentChain, the station key signing), a few
 * clips a day, some of them protected; then retention's marks as they would stand on `nowMs` (files
 * of footage older than the retention period deleted, clips older than it expired unless protected).
 * No footage file is written: rows are what is measured.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../electron/station/catalog/database.js';
import { Segments } from '../electron/station/catalog/segments.js';
import { ClipsRepo } from '../electron/station/clips/clips-repo.js';
import type { ChainReserve } from '../electron/station/evidence/chain-reserve.js';
import { SegmentChain } from '../electron/station/evidence/segment-chain.js';
import type { StationKeys } from '../electron/station/evidence/station-keys.js';

export const DAY_MS = 86_400_000;
export const SEGMENT_MS = 2_000;
/** 10 hours of 2-s segments. */
export const SEGMENTS_PER_DAY = 18_000;

export interface HistoryOptions {
  db: Db;
  keys: StationKeys;
  reserve?: ChainReserve;
  days: number;
  /** Midnight (UTC) of the first day; recording starts at 08:00 each day. */
  firstDayMs: number;
  segmentsPerDay?: number;
  clipsPerDay?: number;
  /** Days (0-based) whose first clip is protected (a dispute): kept whatever its age. */
  protectedDays?: readonly number[];
  /** Retention's marks as of this time. */
  nowMs: number;
  retentionDays: number;
  camera?: string;
}

export interface History {
  segments: number;
  clips: Array<{ id: number; day: number; startMs: number; endMs: number; protected: boolean }>;
}

export function generateHistory(o: HistoryOptions): History {
  const camera = o.camera ?? 'demo';
  const perDay = o.segmentsPerDay ?? SEGMENTS_PER_DAY;
  const clipsPerDay = o.clipsPerDay ?? 20;
  const chain = new SegmentChain(o.db, o.keys, o.reserve);
  const segments = new Segments(o.db, chain);
  const clipsRepo = new ClipsRepo(o.db);
  const insertRun = o.db.prepare('INSERT INTO runs (camera, dir, t0_ms, started_ms, ended_ms, end_reason) VALUES (?, ?, ?, ?, ?, ?)');
  const history: History = { segments: 0, clips: [] };
  for (let day = 0; day < o.days; day++) {
    const t0 = o.firstDayMs + day * DAY_MS + 8 * 3_600_000;
    const stamp = new Date(t0).toISOString().replace(/[-:.]/g, '');
    const dir = `runs/${camera}/${stamp}`;
    const runId = Number(insertRun.run(camera, dir, t0, t0, t0 + perDay * SEGMENT_MS, 'stopped').lastInsertRowid);
    o.db.transaction(() => {
      for (let i = 0; i < perDay; i++) {
        const startMs = t0 + i * SEGMENT_MS;
        segments.insert({
          runId,
          camera,
          file: `${dir}/${String(i).padStart(6, '0')}.ts`,
          startMs,
          endMs: startMs + SEGMENT_MS,
          bytes: 1_400_000 + (i % 997),
          sha256: createHash('sha256').update(`${camera} ${day} ${i}`).digest('hex'),
          status: 'ok',
        });
      }
    })();
    history.segments += perDay;
    // Clips of 30 s spread over the day.
    for (let k = 0; k < clipsPerDay; k++) {
      const startMs = t0 + Math.floor(((k + 0.5) * perDay * SEGMENT_MS) / clipsPerDay) + 1_000;
      const endMs = startMs + 30_000;
      const id = clipsRepo.create({ station: 'bench', camera, mode: 'pack', startMs });
      clipsRepo.addCode(id, `SF${String(day).padStart(4, '0')}${String(k).padStart(6, '0')}`, 'waybill', startMs);
      clipsRepo.end(id, endMs, 'closed', 'next-order');
      clipsRepo.setVideo(id, { file: `clips/${stamp}/clip-${id}.mp4`, bytes: 20_000_000, sha256: createHash('sha256').update(`clip ${id}`).digest('hex'), durationMs: 30_000 });
      const isProtected = k === 0 && (o.protectedDays ?? []).includes(day);
      if (isProtected) o.db.prepare('UPDATE clips SET protected = 1 WHERE id = ?').run(id);
      history.clips.push({ id, day, startMs, endMs, protected: isProtected });
    }
  }
  // Retention's marks: files of footage older than the period deleted, clips expired unless protected.
  const expiredBefore = o.nowMs - o.retentionDays * DAY_MS;
  o.db.transaction(() => {
    o.db
      .prepare(
        `UPDATE segments SET file_deleted_ms = end_ms + @slack, file_deleted_reason = 'age'
          WHERE end_ms < @before AND NOT EXISTS (SELECT 1 FROM clips c WHERE c.protected = 1 AND c.camera = segments.camera AND c.start_ms < segments.end_ms AND c.end_ms > segments.start_ms)`,
      )
      .run({ before: expiredBefore, slack: o.retentionDays * DAY_MS });
    o.db.prepare("UPDATE clips SET video_expired_ms = end_ms + @slack, video_expired_reason = 'age' WHERE end_ms < @before AND protected = 0").run({ before: expiredBefore, slack: o.retentionDays * DAY_MS });
  })();
  return history;
}
