/**
 * The hub's library: the stations' clips in the station's API shapes (shared/api.ts Clip,
 * ClipSummary), so the same React library and clip page read either. Search by any fragment of a
 * code: the normalised codes hold it (as LIKE '%fragment%' says), newest first: 4+ characters through
 * `clip_grams` (hub migration 007), shorter ones through LIKE and the pg_trgm GIN index (migration 002).
 * Ids are the hub's own; `stationId` / `stationClipId` say where a clip came from.
 */
import { normalizeCode, type Clip, type ClipCamera, type ClipCode, type ClipSummary, type RelatedClip, type ScannedOrder } from '../../shared/api.js';
import type { HubPool } from './db/hub-database.js';

export interface HubClipSummary extends ClipSummary {
  stationId: number;
  stationClipId: number;
}

export interface HubClip extends Clip {
  stationId: number;
  stationClipId: number;
  receivedAt: string;
}

export interface HubSearch {
  q?: string;
  stationId?: number;
  /** The station's name, as the library's station filter sends it. */
  station?: string;
  fromMs?: number;
  toMs?: number;
  mode?: Clip['mode'];
  status?: Clip['status'];
  protectedOnly?: boolean;
  /** The packer's badge code (any case), or their name exactly. */
  packer?: string;
  limit: number;
  /** The last row of the previous page: older clips follow. */
  cursor?: { startedAt: string; id: number };
}

interface Row {
  id: string;
  station_id: string;
  station_clip_id: string;
  station_name: string;
  camera: string;
  mode: Clip['mode'];
  status: Clip['status'];
  codes: string[];
  code_details: ClipCode[];
  started_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  protected: boolean;
  note: string | null;
  video_bytes: string;
  video_sha256: string;
  video_duration_ms: number;
  video_fps: number | null;
  video_stored_at: Date | null;
  received_at: Date;
  bundle: { videoName: string; files: Record<string, string> };
  order_info: ScannedOrder | null;
  packer: string | null;
  packer_name: string | null;
}

export const HUB_SUMMARY_COLUMNS = ['id', 'station_id', 'station_clip_id', 'station_name', 'mode', 'status', 'codes', 'started_at', 'ended_at', 'protected', 'video_stored_at', 'packer', 'packer_name'];

/** A fragment this long or longer is looked up by one of its 4-character pieces in `clip_grams` (hub migration 007). */
const GRAM = 4;

/** The page's query, for searchHubClips and for EXPLAIN in the hub benchmark. */
export function hubSearchQuery(s: HubSearch): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown): string => {
    args.push(v);
    return `$${args.length}`;
  };
  const frag = s.q ? normalizeCode(s.q) : '';
  // Start time and cursor bound the gram walk itself when there is one (`t` is then the gram row).
  const t = frag.length >= GRAM ? 'g' : 'c';
  if (frag && frag.length < GRAM) where.push(`c.search_text LIKE ${arg(`%${frag.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)}`);
  if (s.stationId !== undefined) where.push(`c.station_id = ${arg(s.stationId)}`);
  if (s.station) where.push(`c.station_name = ${arg(s.station)}`);
  if (s.packer) {
    // The badge code, or the name the clip was packed under.
    const p = arg(s.packer);
    where.push(`(c.packer = upper(${p}) OR c.packer_name = ${p})`);
  }
  if (s.mode) where.push(`c.mode = ${arg(s.mode)}`);
  if (s.status) where.push(`c.status = ${arg(s.status)}`);
  if (s.protectedOnly) where.push('c.protected');
  const bounds: string[] = [];
  if (s.fromMs !== undefined) bounds.push(`${t}.started_at >= ${arg(new Date(s.fromMs))}`);
  if (s.toMs !== undefined) bounds.push(`${t}.started_at < ${arg(new Date(s.toMs))}`);
  if (s.cursor) {
    const at = arg(s.cursor.startedAt);
    const id = arg(s.cursor.id);
    // The plain bound lets the btree start at the cursor; the row comparison breaks ties by id.
    bounds.push(`${t}.started_at <= ${at}`, `(${t}.started_at, ${t}.${t === 'g' ? 'clip_id' : 'id'}) < (${at}, ${id})`);
  }
  const and = (xs: string[]): string => (xs.length ? `WHERE ${xs.join(' AND ')}` : '');
  let sql: string;
  if (t === 'g') {
    // The fragment's last piece: the end of a code is its most varied part (a start is often a
    // carrier's prefix, SF…, or a date), so its rows are the fewest to walk. Each row carries its
    // line: the whole fragment is confirmed in the index, then the page's clips are read by id.
    const gram = arg(frag.slice(-GRAM));
    const whole = arg(frag);
    sql = `SELECT ${HUB_SUMMARY_COLUMNS.map((col) => `c.${col}`).join(', ')}
             FROM (SELECT DISTINCT g.started_at, g.clip_id FROM clip_grams g
                    ${and([`g.gram = ${gram}`, `strpos(g.line, ${whole}) > 0`, ...bounds])}
                    ORDER BY g.started_at DESC, g.clip_id DESC) h
             JOIN clips c ON c.id = h.clip_id
             ${and(where)}
            ORDER BY h.started_at DESC, h.clip_id DESC LIMIT ${arg(s.limit + 1)}`;
  } else {
    sql = `SELECT ${HUB_SUMMARY_COLUMNS.map((col) => `c.${col}`).join(', ')} FROM clips c ${and([...where, ...bounds])} ORDER BY c.started_at DESC, c.id DESC LIMIT ${arg(s.limit + 1)}`;
  }
  return { sql, args };
}

export async function searchHubClips(pool: HubPool, s: HubSearch): Promise<{ items: HubClipSummary[]; nextCursor: string | null }> {
  const { sql, args } = hubSearchQuery(s);
  const r = await pool.query<Row>(sql, args);
  const rows = r.rows.slice(0, s.limit);
  const last = rows.at(-1);
  return {
    items: rows.map((x) => ({
      id: Number(x.id),
      stationId: Number(x.station_id),
      stationClipId: Number(x.station_clip_id),
      station: x.station_name,
      mode: x.mode,
      status: x.status,
      codes: x.codes,
      startedAt: x.started_at.toISOString(),
      endedAt: x.ended_at?.toISOString() ?? null,
      protected: x.protected,
      hasThumbnail: false,
      videoExpiredAt: null,
      hasVideo: x.video_stored_at !== null,
      packer: x.packer,
      packerName: x.packer_name ?? x.packer,
    })),
    nextCursor: r.rows.length > s.limit && last ? Buffer.from(JSON.stringify({ s: last.started_at.toISOString(), i: Number(last.id) })).toString('base64url') : null,
  };
}

export function decodeHubCursor(text: string): { startedAt: string; id: number } | null {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { s?: unknown; i?: unknown };
    if (typeof v.s === 'string' && !Number.isNaN(Date.parse(v.s)) && Number.isSafeInteger(v.i)) return { startedAt: v.s, id: v.i as number };
  } catch {
    /* not a cursor */
  }
  return null;
}

export async function getHubClip(pool: HubPool, id: number): Promise<(HubClip & { bundle: Row['bundle'] }) | null> {
  const r = await pool.query<Row>('SELECT * FROM clips WHERE id = $1', [id]);
  const x = r.rows[0];
  if (!x) return null;
  const manifest = manifestOf(x.bundle);
  return {
    id: Number(x.id),
    stationId: Number(x.station_id),
    stationClipId: Number(x.station_clip_id),
    station: x.station_name,
    camera: x.camera,
    mode: x.mode,
    status: x.status,
    codes: x.codes,
    codeDetails: x.code_details,
    startedAt: x.started_at.toISOString(),
    endedAt: x.ended_at?.toISOString() ?? null,
    // '' is a clip whose main camera recorded none of it (ingest.ts): its other cameras' videos are its footage.
    video: x.video_stored_at && x.video_sha256 !== '' ? { bytes: Number(x.video_bytes), sha256: x.video_sha256, durationMs: x.video_duration_ms, fps: x.video_fps } : null,
    endReason: x.end_reason,
    protected: x.protected,
    note: x.note,
    order: x.order_info,
    packer: x.packer,
    packerName: x.packer_name ?? x.packer,
    hasThumbnail: false,
    // The gaps as the station signed them in the clip's manifest.
    gaps: (manifest?.clip?.gaps ?? []).map((g, i) => ({ id: i + 1, camera: x.camera, startedAt: g.startedAt, endedAt: g.endedAt, reason: g.reason })),
    damage: [],
    videoExpiredAt: null,
    footage: x.video_sha256 === '' ? 'none' : 'complete',
    receivedAt: x.received_at.toISOString(),
    bundle: x.bundle,
  };
}

/**
 * Clip.cameras as the station lists them (clips/clip-cameras.ts): the main camera first (its video is
 * the clip's own), then the others in the station's order, each with a video once the hub stores it. A
 * clip from a station before several cameras has its main camera alone, named by its id.
 */
export async function hubClipCameras(pool: HubPool, clip: Pick<HubClip, 'id' | 'camera' | 'video'>): Promise<ClipCamera[]> {
  const r = await pool.query<{ camera: string; name: string; main: boolean; bytes: string | null; sha256: string | null; duration_ms: number | null; fps: number | null; stored_at: Date | null }>(
    'SELECT camera, name, main, bytes, sha256, duration_ms, fps, stored_at FROM clip_cameras WHERE clip_id = $1 ORDER BY position',
    [clip.id],
  );
  const mainName = r.rows.find((k) => k.main)?.name ?? clip.camera;
  const main: ClipCamera = {
    id: clip.camera,
    name: mainName,
    main: true,
    hasVideo: clip.video !== null,
    bytes: clip.video?.bytes ?? null,
    sha256: clip.video?.sha256 ?? null,
    durationMs: clip.video?.durationMs ?? null,
    fps: clip.video?.fps ?? null,
  };
  const others = r.rows
    .filter((k) => !k.main)
    .map((k): ClipCamera => {
      const stored = k.stored_at !== null;
      return { id: k.camera, name: k.name, main: false, hasVideo: stored, bytes: stored ? Number(k.bytes) : null, sha256: stored ? k.sha256 : null, durationMs: stored ? k.duration_ms : null, fps: stored ? k.fps : null };
    });
  return [main, ...others];
}

function manifestOf(bundle: Row['bundle']): { clip?: { gaps?: Array<{ startedAt: string; endedAt: string | null; reason: string }> } } | null {
  const b64 = bundle.files['manifest.json'];
  if (!b64) return null;
  try {
    return JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as ReturnType<typeof manifestOf>;
  } catch {
    return null;
  }
}

/** A clip page lists a handful (as the station's related-clips.ts). */
const MAX_RELATED = 20;

/**
 * The same parcel's clips in another mode, from any station: the packing clip at bench 3
 * and the hand-over clip at the dispatch point link each other. `lines` are the clip's normalised
 * codes with its order's number and waybills (its `search_text` lines); another clip is the same
 * parcel's when one of its lines equals one of these. Each line is looked up through the trigram
 * index (LIKE, OR-ed so the planner can combine the bitmaps), then compared whole.
 */
export async function relatedHubClips(pool: HubPool, clip: { id: number; mode: Clip['mode'] }, lines: readonly string[]): Promise<RelatedClip[]> {
  const terms = [...new Set(lines.filter((l) => l.length >= 3))].slice(0, MAX_RELATED);
  if (!terms.length) return [];
  const args: unknown[] = [clip.id, clip.mode, terms, MAX_RELATED];
  const likes = terms.map((t) => {
    args.push(`%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return `search_text LIKE $${args.length}`;
  });
  const r = await pool.query<Pick<Row, 'id' | 'station_name' | 'mode' | 'status' | 'codes' | 'started_at' | 'ended_at'>>(
    `SELECT id, station_name, mode, status, codes, started_at, ended_at FROM clips
      WHERE id <> $1 AND mode <> $2 AND (${likes.join(' OR ')}) AND string_to_array(search_text, E'\\n') && $3::text[]
      ORDER BY started_at, id LIMIT $4`,
    args,
  );
  return r.rows.map((x) => ({
    id: Number(x.id),
    station: x.station_name,
    mode: x.mode,
    status: x.status,
    codes: x.codes,
    startedAt: x.started_at.toISOString(),
    endedAt: x.ended_at?.toISOString() ?? null,
  }));
}
