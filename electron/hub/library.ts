/**
 * The hub's library: the stations' clips in the station's API shapes (shared/api.ts Clip,
 * ClipSummary), so the same React library and clip page read either. Search by any fragment of a
 * code: LIKE '%fragment%' on the normalised codes, served by the pg_trgm GIN index (migration 002).
 * Ids are the hub's own; `stationId` / `stationClipId` say where a clip came from.
 */
import { normalizeCode, type Clip, type ClipCode, type ClipSummary, type RelatedClip, type ScannedOrder } from '../../shared/api.js';
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

const SUMMARY_COLUMNS = 'id, station_id, station_clip_id, station_name, mode, status, codes, started_at, ended_at, protected, video_stored_at, packer, packer_name';

export async function searchHubClips(pool: HubPool, s: HubSearch): Promise<{ items: HubClipSummary[]; nextCursor: string | null }> {
  const where: string[] = [];
  const args: unknown[] = [];
  const frag = s.q ? normalizeCode(s.q) : '';
  if (frag) {
    args.push(`%${frag.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`search_text LIKE $${args.length}`);
  }
  if (s.stationId !== undefined) {
    args.push(s.stationId);
    where.push(`station_id = $${args.length}`);
  }
  const eq = (col: string, v: unknown): void => {
    args.push(v);
    where.push(`${col} = $${args.length}`);
  };
  if (s.station) eq('station_name', s.station);
  if (s.packer) {
    // The badge code, or the name the clip was packed under.
    args.push(s.packer);
    where.push(`(packer = upper($${args.length}) OR packer_name = $${args.length})`);
  }
  if (s.mode) eq('mode', s.mode);
  if (s.status) eq('status', s.status);
  if (s.protectedOnly) where.push('protected');
  if (s.fromMs !== undefined) {
    args.push(new Date(s.fromMs));
    where.push(`started_at >= $${args.length}`);
  }
  if (s.toMs !== undefined) {
    args.push(new Date(s.toMs));
    where.push(`started_at < $${args.length}`);
  }
  if (s.cursor) {
    args.push(s.cursor.startedAt, s.cursor.id);
    where.push(`(started_at, id) < ($${args.length - 1}, $${args.length})`);
  }
  args.push(s.limit + 1);
  const r = await pool.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM clips ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT $${args.length}`, args);
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
    video: x.video_stored_at ? { bytes: Number(x.video_bytes), sha256: x.video_sha256, durationMs: x.video_duration_ms, fps: x.video_fps } : null,
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
    footage: 'complete',
    receivedAt: x.received_at.toISOString(),
    bundle: x.bundle,
  };
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
 * The same parcel's clips in another mode, from any station (issue 18): the packing clip at bench 3
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
