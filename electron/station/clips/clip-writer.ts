/**
 * Cutting a clip's MP4 from the continuous segments, by stream copy (no re-encode, so it takes
 * milliseconds and changes no pixel of the evidence).
 *
 * Exactness: a stream copy can only start at a keyframe (one per second here). We start at the last
 * keyframe K at or before the clip start S and shift timestamps by -(S - K): the frames before S get
 * negative times, which the MP4 muxer turns into an edit list, so players decode them but first SHOW
 * the frame at S. The command, with times in seconds on the segments' own clock:
 *
 *   ffmpeg -ss <K - first packet> -t <E - K> -i concat:seg1.ts|seg2.ts|…
 *          -map 0:v:0 -c copy -output_ts_offset -<S - K> -t <E - K> -movflags +faststart clip.mp4
 *
 * What a player reads: the MP4's edit list starts exactly at S, but FFmpeg's MP4 demuxer (ffprobe, and
 * Chromium, which plays with it) puts the first frame at or after S at time 0. The boundary falls between
 * two frames, so "clip start + PTS" reads a frame up to one frame interval early; every camera's clip
 * starts on the same S, so their views stay within one frame of each other (multi-camera-sync.test.ts).
 *
 * Latency: the segment being written is on disk packet by packet (flush_packets), so the clip is cut as
 * soon as its last frame exists, not when that segment closes.
 */
import { EventEmitter } from 'node:events';
import { chmod, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ffmpeg from 'fluent-ffmpeg';
import { runFluent } from '../ffmpeg/fluent-run.js';
import type { SegmentFaults } from '../catalog/segment-faults.js';
import type { Segments } from '../catalog/segments.js';
import { sha256File } from '../catalog/hash.js';
import { log } from '../log.js';
import { frameRateOf, probePackets } from '../recorder/probe.js';
import type { ClipCamerasRepo } from './clip-cameras.js';
import { footageOf, type ClipsRepo } from './clips-repo.js';

/** How long after a frame's wall-clock time it is safely on disk (encode + flush; ~70 ms measured). */
const FOOTAGE_LAG_MS = 250;
const THUMBNAIL_WIDTH = 320;
/** If the footage for a clip's end is not there after this long (camera died), cut what exists. */
const FOOTAGE_WAIT_MAX_MS = 10_000;

export interface ClipWriterDeps {
  dataDir: string;
  ffmpegPath: string;
  segments: Segments;
  clips: ClipsRepo;
  /** Segments of the camera's active run not indexed yet (being written or being hashed), oldest first. */
  unindexedSegments: (camera: string) => Promise<{ files: string[]; t0Ms: number } | null>;
  /** Re-checks the clip's indexed segments before the cut; damage is recorded and shows on the clip. */
  faults?: SegmentFaults;
  /** The station's cameras beside the main one, in order: each gets its own MP4 of every clip. */
  otherCameras?: () => ReadonlyArray<{ id: string; name: string }>;
  clipCameras?: ClipCamerasRepo;
  /** How long to wait for a clip's last footage to exist (recover: 0, nothing more will be written). */
  footageWaitMaxMs?: number;
}

export class ClipWriter extends EventEmitter<{ ready: [number]; failed: [number, string] }> {
  private queue: Promise<void> = Promise.resolve();
  /** Clip id → how many times it is queued (a clip re-cut after a correction can be queued twice). */
  private readonly queued = new Map<number, number>();

  constructor(private readonly d: ClipWriterDeps) {
    super();
  }

  /** Write the clip's MP4 once its footage exists. Clips are written one at a time, in order. */
  enqueue(clipId: number): void {
    this.queued.set(clipId, (this.queued.get(clipId) ?? 0) + 1);
    this.queue = this.queue
      .then(() => this.write(clipId))
      .catch((err: Error) => {
        log.error(`the video of clip ${clipId} could not be written`, { clipId, error: err.message });
        this.emit('failed', clipId, err.message);
      })
      .finally(() => {
        const n = (this.queued.get(clipId) ?? 1) - 1;
        if (n > 0) this.queued.set(clipId, n);
        else this.queued.delete(clipId);
      });
  }

  /** Clips queued or being written: retention keeps their footage until their video exists (then they may go like any other). */
  busyClipIds(): ReadonlySet<number> {
    return new Set(this.queued.keys());
  }

  /**
   * Resolves when every queued clip has been written (or has failed), or after `maxMs`. Clips still
   * queued then are written at the next start (their rows have no video yet).
   */
  async idle(maxMs = Infinity): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (this.queued.size > 0 && Date.now() < deadline) await Promise.race([this.queue, sleep(Math.max(0, Math.min(1_000, deadline - Date.now())))]);
  }

  /** A clip cut before its frame rate was recorded (migration 010): measured from its MP4 once, then kept. */
  async measureFps(clipId: number): Promise<number | null> {
    const file = this.d.clips.videoFile(clipId);
    if (!file || this.d.clips.videoExpiredMs(clipId) !== null) return null;
    const packets = await probePackets(this.d.ffmpegPath, join(this.d.dataDir, file));
    const fps = frameRateOf(packets.pts.filter((p) => p >= -1e-6));
    if (fps !== null) this.d.clips.setFps(clipId, fps);
    return fps;
  }

  private async write(clipId: number): Promise<void> {
    const clip = this.d.clips.get(clipId);
    if (!clip || !clip.endedAt) return;
    const S = Date.parse(clip.startedAt);
    const E = Date.parse(clip.endedAt);
    const wait = E + FOOTAGE_LAG_MS - Date.now();
    if (wait > 0) await sleep(wait);
    const rel = `clips/${clip.startedAt.slice(0, 10)}/${clip.id}.mp4`;
    // Recorded wholly inside a camera outage: there is nothing to cut, now or later (the clip says so).
    // The other cameras may have recorded on.
    if (this.d.clips.footage(clipId) === 'none') {
      this.noFootage(clip.id, S, E);
      return this.otherCameras(clip.id, clip.camera, S, E, rel);
    }
    const video = await this.cut(clip.camera, S, E, rel);
    if (!video) {
      // The outage's gap is written when ffmpeg is found dead or stalled (up to STALL_MS): by now it is.
      if (this.d.clips.footage(clipId) === 'none') {
        this.noFootage(clip.id, S, E);
        return this.otherCameras(clip.id, clip.camera, S, E, rel);
      }
      throw new Error(`no footage between ${clip.startedAt} and ${clip.endedAt}`);
    }
    this.d.clips.setVideo(clip.id, video);
    this.emit('ready', clip.id);
    await this.thumbnail(clip.id, rel, video.durationMs).catch((err: Error) => log.warn('no thumbnail for a clip', { clipId: clip.id, error: err.message }));
    await this.otherCameras(clip.id, clip.camera, S, E, rel);
  }

  /**
   * The same time range from each other camera of the station, after the main camera's video (whose
   * latency the packer sees): one MP4 each beside the clip's, `<id>.<camera>.mp4`. A camera that
   * recorded nothing of the clip (its own gap covers it) gets no file; the others are still cut.
   */
  private async otherCameras(clipId: number, mainCamera: string, S: number, E: number, mainRel: string, cameras?: ReadonlyArray<{ id: string; name: string }>): Promise<void> {
    const repo = this.d.clipCameras;
    const listed = cameras ?? this.d.otherCameras?.() ?? [];
    // A camera removed from the settings while the clip was open filmed part of it: its footage is the
    // clip's too (named by its id, as the settings no longer name it).
    const removed = cameras ? [] : this.d.segments.camerasFilming(S, E).filter((id) => id !== mainCamera && !listed.some((c) => c.id === id));
    const others = [...listed.filter((c) => c.id !== mainCamera), ...removed.map((id) => ({ id, name: id }))];
    if (!repo || !others.length) return;
    repo.prepare(clipId, others);
    for (const cam of others) {
      if (repo.videoFile(clipId, cam.id)) continue;
      try {
        // Already cut (the index that named it was lost, or the station stopped before recording it):
        // that file is the evidence, read as it is and never cut again over it.
        const rel = mainRel.replace(/\.mp4$/, `.${cam.id}.mp4`);
        // stat first: describing hashes and probes, and a probe is an ffmpeg spawn on every live clip otherwise.
        const onDisk = await stat(join(this.d.dataDir, ...rel.split('/'))).then(() => true, () => false);
        const existing = onDisk ? await this.describe(rel).catch(() => null) : null;
        if (existing) {
          repo.setVideo(clipId, cam.id, existing);
          continue;
        }
        if (footageOf(this.d.clips.gapsWithin(cam.id, S, E), S, E) === 'none') {
          log.warn(`Clip ${clipId} has no video from camera ${cam.id}: it was not recording from ${new Date(S).toISOString()} to ${new Date(E).toISOString()}.`);
          continue;
        }
        const video = await this.cut(cam.id, S, E, rel);
        if (video) repo.setVideo(clipId, cam.id, video);
        else log.warn(`Clip ${clipId} has no video from camera ${cam.id}: no footage of its time range.`, { clipId, camera: cam.id });
      } catch (err) {
        log.error(`the video of clip ${clipId} from camera ${cam.id} could not be written`, { clipId, camera: cam.id, error: (err as Error).message });
      }
    }
  }

  /**
   * `packwitness recover`: the given other cameras' videos of a clip whose main video exists, as when
   * it closed (an existing file is taken as it is; otherwise cut from that camera's segments).
   */
  async recoverOtherCameras(clipId: number, cameras: ReadonlyArray<{ id: string; name: string }>): Promise<void> {
    const clip = this.d.clips.get(clipId);
    const mainRel = this.d.clips.videoFile(clipId);
    if (!clip?.endedAt || !mainRel) return;
    await this.otherCameras(clip.id, clip.camera, Date.parse(clip.startedAt), Date.parse(clip.endedAt), mainRel, cameras);
  }

  /** Size, hash, length and frame rate of a clip MP4 already on disk. */
  private async describe(rel: string): Promise<{ file: string; bytes: number; sha256: string; durationMs: number; fps: number | null }> {
    const abs = join(this.d.dataDir, ...rel.split('/'));
    const [{ size }, sha256, packets] = await Promise.all([stat(abs), sha256File(abs), probePackets(this.d.ffmpegPath, abs)]);
    const shown = packets.pts.filter((p) => p >= -1e-6);
    const durationMs = Math.round(((shown.at(-1) ?? 0) + packets.frameSec) * 1000);
    return { file: rel, bytes: size, sha256, durationMs, fps: frameRateOf(shown) };
  }

  /** One camera's MP4 of [S, E] at `rel` (read-only once written); null when it has no footage of that range. */
  private async cut(camera: string, S: number, E: number, rel: string): Promise<{ file: string; bytes: number; sha256: string; durationMs: number; fps: number | null } | null> {
    const { files, t0ByFile } = await this.footage(camera, S, E);
    const t0Ms = files.length ? t0ByFile.get(files[0]!) : undefined;
    if (!files.length || t0Ms === undefined) return null;
    // A damaged segment is still cut (what decodes is evidence too), but the clip then says which one it is.
    await this.d.faults?.verify(this.d.dataDir, this.d.segments.between(S, E, camera), 'clip');

    // Segment timestamps are seconds since their run's t0 (see ffmpeg-command.ts), so wall-clock
    // times convert exactly. Pre-roll cannot reach before the recording began.
    const first = await probePackets(this.d.ffmpegPath, join(this.d.dataDir, files[0]!));
    const firstPts = first.pts[0]!;
    const sClock = Math.max((S - t0Ms) / 1000, firstPts);
    const eClock = (E - t0Ms) / 1000;
    let k = firstPts;
    first.pts.forEach((p, i) => {
      if (first.key[i] && p <= sClock + 1e-6) k = Math.max(k, p);
    });
    const lead = sClock - k;
    const duration = eClock - k;

    const abs = join(this.d.dataDir, ...rel.split('/'));
    const tmp = `${abs}.partial.mp4`;
    await mkdir(join(abs, '..'), { recursive: true });
    await unlink(tmp).catch(() => undefined);
    const source = await this.concatInput(files, t0ByFile, `${abs}.concat.txt`);
    await runFfmpeg(this.d.ffmpegPath, this.d.dataDir, {
      input: source.input,
      // +0.5 ms: the seek lands on the keyframe at or before the target, so aim just past K, never before it.
      inputOptions: [...source.options, '-ss', (k - firstPts + 0.0005).toFixed(4), '-t', duration.toFixed(4)],
      output: tmp,
      // The output -t (counted from the first packet written, the keyframe K) is what ends the clip at E:
      // measured with ffmpeg 4.1, the input -t alone lets a stream copy of MPEG-TS run ~0.5 s past it.
      outputOptions: ['-map', '0:v:0', '-c', 'copy', '-output_ts_offset', (-lead).toFixed(4), '-t', duration.toFixed(4), '-movflags', '+faststart', '-f', 'mp4'],
    });
    if (source.listFile) await unlink(source.listFile).catch(() => undefined);
    await rename(tmp, abs);
    await chmod(abs, 0o444).catch(() => undefined);
    return this.describe(rel);
  }

  private noFootage(clipId: number, S: number, E: number): void {
    log.warn(`Clip ${clipId} has no video: the camera was not recording from ${new Date(S).toISOString()} to ${new Date(E).toISOString()}.`);
  }

  /**
   * The ffmpeg input for the clip's segments. Within one run they are one byte stream (`concat:`).
   * A clip that spans a gap spans runs, each stamped on its own clock (its t0): a plain concat would
   * close up the hole and put the later run's frames at the wrong moments. Then each run is one entry
   * of an ffconcat list whose `duration` runs to the next run's first frame on the wall clock, so the
   * MP4 keeps the hole at its real place and length (the player marks it from the clip's gaps).
   */
  private async concatInput(files: string[], t0ByFile: Map<string, number>, listFile: string): Promise<{ input: string; options: string[]; listFile: string | null }> {
    const groups: Array<{ t0Ms: number; files: string[] }> = [];
    for (const f of files) {
      const t0Ms = t0ByFile.get(f)!;
      const last = groups.at(-1);
      if (last && last.t0Ms === t0Ms) last.files.push(f);
      else groups.push({ t0Ms, files: [f] });
    }
    if (groups.length === 1) return { input: `concat:${files.join('|')}`, options: [], listFile: null };
    const starts = await Promise.all(groups.map(async (g) => g.t0Ms + (await probePackets(this.d.ffmpegPath, join(this.d.dataDir, g.files[0]!))).pts[0]! * 1000));
    const quote = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;
    const lines = ['ffconcat version 1.0'];
    groups.forEach((g, i) => {
      lines.push(`file ${quote(`concat:${g.files.map((f) => join(this.d.dataDir, f)).join('|')}`)}`);
      if (i + 1 < groups.length) lines.push(`duration ${((starts[i + 1]! - starts[i]!) / 1000).toFixed(6)}`);
    });
    await writeFile(listFile, `${lines.join('\n')}\n`);
    return { input: listFile, options: ['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,concat'], listFile };
  }

  /** The poster frame for the library: from the middle of the clip, where the goods are in the box. */
  private async thumbnail(clipId: number, videoRel: string, durationMs: number): Promise<void> {
    const rel = videoRel.replace(/\.mp4$/, '.jpg');
    const tmp = `${rel}.partial.jpg`;
    await runFfmpeg(this.d.ffmpegPath, this.d.dataDir, {
      input: videoRel,
      inputOptions: ['-ss', (durationMs / 2000).toFixed(3)],
      output: tmp,
      outputOptions: ['-frames:v', '1', '-vf', `scale=${THUMBNAIL_WIDTH}:-2`, '-q:v', '5', '-f', 'image2'],
    });
    await rename(join(this.d.dataDir, tmp), join(this.d.dataDir, rel));
    this.d.clips.setThumbnail(clipId, rel);
  }

  /** Seconds on the run's clock up to which `file` (a segment being written) holds frames; -1 if none yet. */
  private async writtenUpTo(file: string | undefined): Promise<number> {
    if (!file) return -1;
    try {
      const p = await probePackets(this.d.ffmpegPath, join(this.d.dataDir, file));
      return Math.max(...p.pts) + p.frameSec;
    } catch {
      return -1; // nothing readable yet: not written far enough
    }
  }

  /** Segment files covering [S, E], oldest first, waiting (bounded) for the footage of E to exist. */
  private async footage(camera: string, S: number, E: number): Promise<{ files: string[]; t0ByFile: Map<string, number> }> {
    const deadline = Date.now() + (this.d.footageWaitMaxMs ?? FOOTAGE_WAIT_MAX_MS);
    for (;;) {
      // Unindexed first, then the index: a segment indexed in between is then in one list or both, never neither.
      const open = await this.d.unindexedSegments(camera);
      // Footage retention deleted is gone for good: cut from what is on disk.
      // Damaged segments (unreadable when indexed: ffmpeg killed before it wrote a whole packet, or
      // cut short by a full disk) would make the whole cut fail: the clip is cut around them, and
      // its gaps/damage say what is missing.
      const segs = this.d.segments.between(S, E, camera, { onDisk: true }).filter((s) => s.status !== 'damaged');
      const files = segs.map((s) => s.file);
      const t0ByFile = new Map<string, number>();
      for (const f of files) {
        const t0 = this.d.segments.runT0(f);
        if (t0 !== null) t0ByFile.set(f, t0);
      }
      let covered = segs.length > 0 && Date.parse(segs.at(-1)!.endedAt) >= E;
      // The segment being written covers E only once ffmpeg has written E's frame: on a busy machine
      // the encoder can run further behind than FOOTAGE_LAG_MS, and a cut made then would end early.
      // It belongs to the newest run, which may be a later run than the indexed ones (a gap in the clip).
      if (!covered && open && (await this.writtenUpTo(open.files.at(-1))) >= (E - open.t0Ms) / 1000) {
        for (const f of open.files) {
          if (files.includes(f)) continue;
          files.push(f);
          t0ByFile.set(f, open.t0Ms);
        }
        covered = true;
      }
      // Relative paths sort in recording order (runs/<camera>/<run start>/<number>.ts).
      if (covered || Date.now() > deadline) return { files: files.filter((f) => t0ByFile.has(f)).sort(), t0ByFile };
      await sleep(200);
    }
  }
}

function runFfmpeg(bin: string, cwd: string, o: { input: string; inputOptions: string[]; output: string; outputOptions: string[] }): Promise<void> {
  const cmd = ffmpeg({ cwd })
    .setFfmpegPath(bin)
    .input(o.input)
    .inputOptions(['-hide_banner', '-nostdin', '-v', 'error', ...o.inputOptions])
    .output(o.output)
    .outputOptions(o.outputOptions);
  return runFluent(cmd);
}
