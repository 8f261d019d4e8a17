/**
 * Turning closed segment files into index rows: size, SHA-256 (computed once, when the file closes),
 * and wall-clock start/end. Also recovers a run folder after ffmpeg or the station died: every
 * non-empty segment on disk ends up in the index, dated from its own packets; nothing non-empty is
 * ever deleted, and what cannot be read is indexed as `damaged` rather than dropped.
 */
import { chmod, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../log.js';
import { CONTIGUITY_TOLERANCE_MS } from '../limits.js';
import { SEGMENT_LIST_NAME } from '../recorder/ffmpeg-command.js';
import { decodeErrors, probeSegmentTimes, UnreadableSegmentError } from '../recorder/probe.js';
import { parseSegmentListLine, type SegmentListEntry } from '../recorder/segment-list.js';
import { sha256File } from './hash.js';
import type { Segments, SegmentStatus } from './segments.js';

export interface RunContext {
  runId: number;
  camera: string;
  /** Relative to the data folder, forward slashes. */
  dirRel: string;
  t0Ms: number;
}

export interface IndexedSegment {
  id: number;
  file: string;
  startMs: number;
  endMs: number;
  status: SegmentStatus;
}

export interface RecoveryReport {
  indexed: number;
  damaged: number;
  removedEmpty: number;
}

/**
 * Times for the index that never run backwards within a run: a segment starts no earlier than the
 * previous one ended and ends no earlier than it starts. ffmpeg stamps frames with the wall clock, so
 * a clock set back while it runs makes its listed times go back (until the station restarts the run
 * on the new clock). `clampedMs` says how far they were moved, for the log.
 */
export function monotonicSegmentTimes(prevEndSec: number | null, startSec: number, endSec: number): { startSec: number; endSec: number; clampedMs: number } {
  const start = prevEndSec === null ? startSec : Math.max(startSec, prevEndSec);
  const end = Math.max(endSec, start);
  return { startSec: start, endSec: end, clampedMs: Math.round(Math.max(start - startSec, end - endSec) * 1000) };
}

/**
 * Where a run's first segment starts, given where the camera's previous run ended. A run stopped for a
 * restart (new camera settings, an encoder fallback) stamps its last frame with a nominal duration,
 * and the next ffmpeg's first frame can be stamped a few milliseconds inside it (measured: 14 ms). An
 * overlap that small is timing jitter, so the new run starts where the old one ended. A larger one is
 * the wall clock set back between the runs, which stays on record as it is (see ClockJumpDetector).
 */
export function startAfterPreviousRun(prevRunEndMs: number | null, startMs: number): number {
  if (prevRunEndMs === null || startMs >= prevRunEndMs) return startMs;
  return prevRunEndMs - startMs <= CONTIGUITY_TOLERANCE_MS ? prevRunEndMs : startMs;
}

export class SegmentIndexer {
  constructor(
    private readonly dataDir: string,
    private readonly ffmpegPath: string,
    private readonly segments: Segments,
  ) {}

  /**
   * Index a segment ffmpeg listed as closed. `prevEndSec` is the previous segment's end on the run's
   * clock, or null for the run's first segment, whose listed start is unreliable (ffmpeg reports 0).
   */
  async indexListed(run: RunContext, entry: SegmentListEntry, prevEndSec: number | null, status: SegmentStatus = 'ok'): Promise<IndexedSegment> {
    const rel = `${run.dirRel}/${entry.file}`;
    let startSec = entry.startSec;
    if (prevEndSec === null) {
      try {
        startSec = (await probeSegmentTimes(this.ffmpegPath, this.abs(rel), entry.startSec)).startSec;
      } catch (err) {
        log.warn('could not read the first segment of a run; using the listed start', { file: rel, error: String(err) });
      }
      startSec = this.firstStartSec(run, startSec);
    }
    const t = monotonicSegmentTimes(prevEndSec, startSec, entry.endSec);
    if (t.clampedMs > 1) log.warn('segment times went backwards (the wall clock was set back?); clamped to the previous segment’s end', { file: rel, clampedMs: t.clampedMs });
    return this.insert(run, rel, t.startSec, t.endSec, status);
  }

  /**
   * The status for a segment written while the disk was full: ffmpeg's writes may have been cut short,
   * so it is decoded in full first, and indexed as damaged (kept, flagged) if any frame fails.
   */
  async statusAfterDiskFull(rel: string, status: SegmentStatus): Promise<SegmentStatus> {
    const errors = await decodeErrors(this.ffmpegPath, this.abs(rel));
    if (!errors) return status;
    log.warn('a segment written while the disk was full does not decode cleanly; indexed as damaged and kept', { file: rel, error: errors.split('\n')[0] });
    return 'damaged';
  }

  /** Index whatever a dead run left on disk that the index does not have yet; `diskFull`: decode-check each (see statusAfterDiskFull). */
  async recoverRun(run: RunContext, opts: { diskFull?: boolean } = {}): Promise<RecoveryReport> {
    const report: RecoveryReport = { indexed: 0, damaged: 0, removedEmpty: 0 };
    const dirAbs = this.abs(run.dirRel);
    const listed = new Map<string, SegmentListEntry>();
    try {
      for (const line of (await readFile(join(dirAbs, SEGMENT_LIST_NAME), 'utf8')).split('\n')) {
        const e = parseSegmentListLine(line);
        if (e) listed.set(e.file, e);
      }
    } catch {
      /* no list: the run died before its first segment closed */
    }
    let files: string[];
    try {
      files = (await readdir(dirAbs)).filter((f) => f.endsWith('.ts')).sort();
    } catch {
      return report;
    }
    let prevEndSec: number | null = null;
    for (const file of files) {
      const rel = `${run.dirRel}/${file}`;
      const existing = this.segments.endSecOf(rel, run.t0Ms);
      if (existing !== null) {
        prevEndSec = existing;
        continue;
      }
      const { size } = await stat(join(dirAbs, file));
      if (size === 0) {
        // ffmpeg opened it and died before writing a byte: nothing to keep.
        await unlink(join(dirAbs, file));
        report.removedEmpty++;
        continue;
      }
      const entry = listed.get(file);
      if (entry) {
        const seg = await this.indexListed(run, entry, prevEndSec, opts.diskFull ? await this.statusAfterDiskFull(rel, 'recovered') : 'recovered');
        prevEndSec = (seg.endMs - run.t0Ms) / 1000;
        report.indexed++;
        continue;
      }
      try {
        const t = await probeSegmentTimes(this.ffmpegPath, join(dirAbs, file), prevEndSec ?? 0);
        const startSec = prevEndSec === null ? this.firstStartSec(run, t.startSec) : t.startSec;
        const seg = await this.insert(run, rel, startSec, Math.max(t.endSec, startSec), opts.diskFull ? await this.statusAfterDiskFull(rel, 'recovered') : 'recovered');
        prevEndSec = (seg.endMs - run.t0Ms) / 1000;
        report.indexed++;
      } catch (err) {
        if (!(err instanceof UnreadableSegmentError)) throw err;
        // Keep the bytes (they are evidence, and maybe repairable); date it as well as we can.
        const mtime = (await stat(join(dirAbs, file))).mtimeMs;
        const startSec = prevEndSec ?? (mtime - run.t0Ms) / 1000;
        const endSec = Math.max(startSec, (mtime - run.t0Ms) / 1000);
        await this.insert(run, rel, startSec, endSec, 'damaged');
        log.warn('a segment could not be read; indexed as damaged and kept', { file: rel, error: err.message });
        prevEndSec = endSec;
        report.damaged++;
      }
    }
    return report;
  }

  /** A run's first segment: see startAfterPreviousRun. The previous run is fully indexed by now (the watchdog recovers a run before it launches the next). */
  private firstStartSec(run: RunContext, startSec: number): number {
    return (startAfterPreviousRun(this.segments.lastEndMs(run.camera), run.t0Ms + startSec * 1000) - run.t0Ms) / 1000;
  }

  private async insert(run: RunContext, rel: string, startSec: number, endSec: number, status: SegmentStatus): Promise<IndexedSegment> {
    const abs = this.abs(rel);
    const [{ size }, sha256] = await Promise.all([stat(abs), sha256File(abs)]);
    // Footage is evidence: once hashed, the file is made read-only so nothing rewrites it by accident.
    await chmod(abs, 0o444).catch(() => undefined);
    const startMs = Math.round(run.t0Ms + startSec * 1000);
    const endMs = Math.round(run.t0Ms + endSec * 1000);
    const id = this.segments.insert({ runId: run.runId, camera: run.camera, file: rel, startMs, endMs, bytes: size, sha256, status });
    return { id, file: rel, startMs, endMs, status };
  }

  private abs(rel: string): string {
    return join(this.dataDir, ...rel.split('/'));
  }
}
