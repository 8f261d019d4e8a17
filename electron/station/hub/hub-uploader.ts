/**
 * Sending the outbox (hub_outbox, filled by triggers: migration 011) to the hub, oldest clip first, in
 * the background. For each clip: its sealed evidence bundle is made as an export would (the original
 * video, no sheet: electron/station/export), the record with the bundle's small files goes first, then
 * the video at the set rate, then each other camera's video (several cameras per station). The row is
 * marked uploaded only once the hub answers with the SHA-256 of what it stored for every one of them and
 * each is the station's own. A camera's video cut later puts the clip back into the outbox
 * (clips/clip-cameras.ts), and the hub, idempotent by station + clip + camera, is sent only what it lacks.
 *
 * The hub away (down for hours, restarting): everything waits, retried with back-off from 1 s to a
 * minute, nothing is lost, and a retry sends the same clip again (the hub is idempotent by station +
 * clip id). A clip the hub refuses (its hash does not match what the station signed, …): its reason is
 * kept on the row, it is retried after 10 minutes, and the clips after it go on.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubClipUpload } from '../../../shared/api.js';
import { hubRouteTable as h } from '../../../shared/hub-route-table.js';
import type { Db } from '../catalog/database.js';
import type { ClipCamerasRepo } from '../clips/clip-cameras.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import { exportClip, type ClipExportDeps } from '../export/clip-export.js';
import { log, sentence } from '../log.js';
import { hubAnswer, HubUnreachable, type HubLink } from './hub-link.js';
import { clipParcelFacts } from '../stats/packer-stats.js';

export const OUTBOX_DIR = 'hub-outbox';
/** The settings key of the upload rate limit (a HubUploadSettings). */
export const HUB_UPLOAD_SETTING_KEY = 'hub-upload';
const IDLE_POLL_MS = 1_000;
const BACKOFF = { first: 1_000, max: 60_000 } as const;
/** A clip the hub refused is tried again after this long (the operator may have fixed the cause). */
const REFUSED_RETRY_MS = 10 * 60_000;

export interface HubUploaderDeps {
  db: Db;
  dataDir: string;
  link: HubLink;
  clips: ClipsRepo;
  exportDeps: () => ClipExportDeps;
  /** Upload rate limit in Mbit/s; null: as fast as the network goes. */
  maxMbps: () => number | null;
  /** The other cameras' videos of each clip (several cameras per station); absent: the main camera's alone. */
  clipCameras?: ClipCamerasRepo;
  /** What the clip page calls a camera. */
  cameraName?: (camera: string) => string;
}

export class HubUploader {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private delayMs: number = BACKOFF.first;
  private wake: (() => void) | null = null;
  /** Cancels the clip being sent at a stop (its row stays pending; the next start sends it again). */
  private readonly abort = new AbortController();
  /** The clip being sent now, for the status. */
  sending: number | null = null;

  constructor(private readonly d: HubUploaderDeps) {}

  backlog(): number {
    return (this.d.db.prepare('SELECT count(*) AS n FROM hub_outbox WHERE uploaded_ms IS NULL').get() as { n: number }).n;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Something changed (joined a hub, a clip was queued): look now. */
  kick(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((ok) => {
      const t = setTimeout(ok, ms);
      this.wake = () => {
        clearTimeout(t);
        ok();
      };
    });
    this.wake = null;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const next = this.d.link.joined() ? this.nextItem() : null;
      if (next === null) {
        await this.pause(IDLE_POLL_MS);
        continue;
      }
      try {
        this.sending = next;
        await this.send(next);
        this.delayMs = BACKOFF.first;
      } catch (err) {
        if (this.stopped) break;
        if (err instanceof HubUnreachable) {
          if (err instanceof StationRefused) this.d.link.reportRefused(err.message);
          else this.d.link.reportUnreachable(err.message);
          const wait = this.delayMs;
          this.delayMs = Math.min(this.delayMs * 2, BACKOFF.max);
          await this.pause(wait);
        } else {
          // A refusal or a local failure (the clip's footage is damaged, …): this clip waits, the rest goes on.
          const why = sentence((err as Error).message);
          log.warn(`clip ${next} was not uploaded to the hub: ${why}`);
          this.d.db.prepare('UPDATE hub_outbox SET attempts = attempts + 1, last_error = ?, next_try_ms = ? WHERE clip_id = ?').run(why, Date.now() + REFUSED_RETRY_MS, next);
        }
      } finally {
        this.sending = null;
      }
    }
  }

  private nextItem(): number | null {
    const row = this.d.db.prepare('SELECT clip_id FROM hub_outbox WHERE uploaded_ms IS NULL AND next_try_ms <= ? ORDER BY clip_id LIMIT 1').get(Date.now()) as { clip_id: number } | undefined;
    return row?.clip_id ?? null;
  }

  private async send(clipId: number): Promise<void> {
    const clip = this.d.clips.get(clipId);
    // A clip whose main camera recorded nothing goes with the other cameras' videos (exportClip seals those alone).
    if (!clip?.endedAt || (!clip.video && !this.d.clipCameras?.cutVideos(clipId).length)) throw new Error(`clip ${clipId} has no video to send`);
    const bundleDir = join(this.d.dataDir, OUTBOX_DIR, `clip-${clipId}`);
    await rm(bundleDir, { recursive: true, force: true });
    await rm(`${bundleDir}.zip`, { force: true });
    try {
      const made = await exportClip(this.d.exportDeps(), clipId, { sheet: false, locale: 'en' }, bundleDir, { signal: this.abort.signal });
      const video = made.files.find((f) => f.role === 'video');
      // The small files only: every video (the main one, and the other cameras' once the bundle carries
      // them) goes by PUT, from the clip's own files.
      const videoNames = new Set([...(video ? [video.name] : []), ...(await bundleCameraVideoNames(bundleDir))]);
      const files: Record<string, string> = {};
      for (const name of await readdir(bundleDir)) {
        if (!videoNames.has(name)) files[name] = (await readFile(join(bundleDir, name))).toString('base64');
      }
      // Only the cameras whose videos this sealing carries: one cut while it was sealed is declared by the
      // next sending (markHubCopyConfirmed leaves the row due), so the hub's bundle always lists every
      // camera video it holds. Declared here, it went up with a bundle that did not list it.
      const sealed = new Set(made.cameraVideos.map((c) => c.camera));
      const cut = (this.d.clipCameras?.cutVideos(clipId) ?? []).filter((v) => sealed.has(v.camera));
      const named = this.d.clipCameras?.list(clip, this.d.cameraName?.(clip.camera) ?? clip.camera) ?? [];
      // The hub's statistics count from the same facts as the station's own (stats/packer-stats.ts).
      const facts = clipParcelFacts(this.d.db, clipId);
      const upload: HubClipUpload = {
        clip: {
          id: clip.id,
          stationName: clip.station,
          camera: clip.camera,
          mode: clip.mode,
          status: clip.status,
          codeDetails: clip.codeDetails,
          startedAt: clip.startedAt,
          endedAt: clip.endedAt,
          endReason: clip.endReason,
          protected: clip.protected,
          note: clip.note,
          order: clip.order ?? null,
          packer: clip.packer ?? null,
          packingMs: facts?.packingMs ?? null,
          duplicateScan: facts?.duplicate ?? false,
          packerName: clip.packer ? (clip.packerName ?? clip.packer) : null,
          // null: the main camera recorded none of the clip (its record says so; the other cameras' videos follow).
          video: clip.video ? { bytes: clip.video.bytes, sha256: clip.video.sha256, durationMs: clip.video.durationMs, fps: clip.video.fps ?? null } : null,
          // One camera: left out, as before several cameras (a hub of any age takes it).
          ...(named.length > 1
            ? {
                cameras: named.map((k) => {
                  const v = k.main ? null : cut.find((x) => x.camera === k.id);
                  return { id: k.id, name: k.name, main: k.main, video: v ? { bytes: v.bytes, sha256: v.sha256, durationMs: v.durationMs, fps: v.fps } : null };
                }),
              }
            : {}),
        },
        // The name the main video has, or would have had, in the bundle (the other cameras' are named from it).
        bundle: { videoName: video?.name ?? mainVideoName(made.cameraVideos), files },
      };
      const r = await this.d.link.postSigned(h.uploadClip, upload);
      if (!r.ok) throw new Error(await hubSentence(r));
      const answer = await hubAnswer(h.uploadClip, r);
      // '' confirms a clip with no main video (storage/retention.ts reads it so).
      let confirmed = clip.video ? answer.videoSha256 : '';
      if (confirmed === null && clip.video && video) {
        const put = await this.d.link.putSigned(h.uploadVideo, { stationClipId: clipId }, throttled(createReadStream(video.path), this.d.maxMbps, this.abort.signal), clip.video.sha256);
        if (!put.ok) throw new Error(await hubSentence(put));
        confirmed = (await hubAnswer(h.uploadVideo, put)).sha256;
      }
      const own = clip.video?.sha256 ?? '';
      if (confirmed !== own) throw new Error(`the hub holds a video with SHA-256 ${(confirmed ?? '').slice(0, 12)}… for this clip, not ${own.slice(0, 12)}…`);
      // Each other camera's video after the main one's, at the same rate limit, checked the same way.
      const cameras: Record<string, string> = {};
      if (cut.length && named.length > 1 && !answer.cameras) throw new Error('the hub does not take other cameras’ videos; update the hub');
      for (const v of cut) {
        let held = answer.cameras?.[v.camera] ?? null;
        if (held === null) {
          const path = join(this.d.dataDir, ...v.file.split('/'));
          // A file gone from the data folder is this clip's fault, not the hub's: it must not read as the hub being away.
          if (!(await stat(path).then((st) => st.isFile(), () => false))) throw new Error(`camera ${v.camera}'s video of clip ${clipId} is not in the data folder (${v.file})`);
          const put = await this.d.link.putSigned(h.uploadCameraVideo, { stationClipId: clipId, camera: v.camera }, throttled(createReadStream(path), this.d.maxMbps, this.abort.signal), v.sha256);
          if (!put.ok) throw new Error(await hubSentence(put));
          held = (await hubAnswer(h.uploadCameraVideo, put)).sha256;
        }
        if (held !== v.sha256) throw new Error(`the hub holds a video with SHA-256 ${held.slice(0, 12)}… for camera ${v.camera} of this clip, not ${v.sha256.slice(0, 12)}…`);
        cameras[v.camera] = held;
      }
      if (markHubCopyConfirmed(this.d.db, clipId, confirmed, cameras)) log.info('clip uploaded to the hub', { clipId, cameras: Object.keys(cameras).length + 1 });
      else log.info('another camera’s video of a clip was cut while it was sent: sending it too', { clipId });
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
      await rm(`${bundleDir}.zip`, { force: true });
    }
  }
}

/**
 * The hub confirmed it stores this SHA-256 for the clip's video, and `cameras` (camera id → SHA-256)
 * for the other cameras' videos: the outbox item is done, and retention (storage/retention.ts) may
 * now delete the station's copy when its time comes. Only if every camera's video cut by now is among
 * them with its own SHA-256: one cut while the clip was being sent leaves the item due again (false).
 */
export function markHubCopyConfirmed(db: Db, clipId: number, sha256: string, cameras: Record<string, string> = {}): boolean {
  const done = db
    .prepare(
      `UPDATE hub_outbox SET uploaded_ms = ?, hub_sha256 = ?, last_error = NULL WHERE clip_id = ?
         AND NOT EXISTS (SELECT 1 FROM clip_cameras k WHERE k.clip_id = hub_outbox.clip_id AND k.file IS NOT NULL AND k.sha256 IS NOT NULL
                          AND k.sha256 IS NOT (SELECT j.value FROM json_each(?) j WHERE j.key = k.camera))`,
    )
    .run(Date.now(), sha256, clipId, JSON.stringify(cameras));
  if (done.changes === 0) db.prepare('UPDATE hub_outbox SET next_try_ms = 0, last_error = NULL WHERE clip_id = ? AND uploaded_ms IS NULL').run(clipId);
  return done.changes > 0;
}

/** `<base>.mp4` from an other camera's bundle name `<base>.<camera id>.mp4` (evidence/manifest.ts cameraVideoName). */
function mainVideoName(cameraVideos: ReadonlyArray<{ camera: string; name: string }>): string {
  const first = cameraVideos[0];
  if (!first) throw new Error('a clip with no main video has no other camera’s video in its bundle either');
  const suffix = `.${first.camera.replace(/[^A-Za-z0-9._-]/g, '_')}.mp4`;
  return first.name.endsWith(suffix) ? `${first.name.slice(0, -suffix.length)}.mp4` : first.name;
}

/** The other cameras' videos a sealed bundle carries (manifest role `camera-video`), which go by PUT rather than with the record. */
async function bundleCameraVideoNames(bundleDir: string): Promise<string[]> {
  try {
    const files = (JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as { files?: unknown }).files;
    return (Array.isArray(files) ? (files as Array<Record<string, unknown>>) : []).filter((f) => f.role === 'camera-video' && typeof f.path === 'string').map((f) => f.path as string);
  } catch {
    return [];
  }
}

/** The hub refused this station itself (its signature): everything waits, as when the hub is away. */
class StationRefused extends HubUnreachable {}

/** The hub's sentence for a refusal of this clip; throws for a hub that is failing (5xx) or refuses the station (401). */
async function hubSentence(r: Response): Promise<string> {
  let said: string | null = null;
  try {
    const b = (await r.json()) as { error?: unknown };
    if (typeof b.error === 'string') said = b.error.slice(0, 300);
  } catch {
    /* not JSON */
  }
  if (r.status >= 500) throw new HubUnreachable(said ?? `the hub answered HTTP ${r.status}`);
  if (r.status === 401) throw new StationRefused(said ?? 'the hub refused this station');
  return `the hub refused it (HTTP ${r.status})${said ? `: ${said}` : ''}`;
}

/**
 * The file at most `maxMbps()` megabits a second (read at each chunk, so a change applies at once).
 * Paces by the total sent since the start, so a slow stretch is not made up in a burst beyond a second's worth.
 */
async function* throttled(source: AsyncIterable<Buffer>, maxMbps: () => number | null, signal: AbortSignal): AsyncGenerator<Buffer> {
  const started = Date.now();
  let sent = 0;
  for await (const chunk of source) {
    signal.throwIfAborted();
    yield chunk;
    sent += chunk.length;
    const mbps = maxMbps();
    if (mbps === null || mbps <= 0) continue;
    const dueMs = (sent * 8) / (mbps * 1e6) * 1000;
    const ahead = dueMs - (Date.now() - started);
    if (ahead > 0) await sleep(ahead, undefined, { signal });
  }
}
