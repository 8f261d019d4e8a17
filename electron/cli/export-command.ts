/**
 * `packwitness export`: an appeal bundle from the command line, straight from a data folder (the
 * station may be running on it: SQLite WAL lets both write). Ctrl-C cancels and leaves no half bundle.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { normalizeCode, type ExportRequest } from '../../shared/api.js';
import { openDatabase } from '../station/catalog/database.js';
import { resolveDataDir } from '../station/data-dir.js';
import { ClipsRepo } from '../station/clips/clips-repo.js';
import { loadOrCreateStationKeys } from '../station/evidence/station-keys.js';
import { etaSeconds, exportClip, ExportError, type ClipExportResult } from '../station/export/clip-export.js';
import { loadPresets } from '../station/export/presets.js';
import { locateFfmpeg } from '../station/ffmpeg/locate.js';
import { SettingsStore } from '../station/scans/settings-store.js';
import { StationSettings } from '../station/settings/station-settings.js';
import { noDatabase } from './find-command.js';
import { maskCredentials } from '../../shared/credentials.js';

export interface ExportCommandOptions {
  data: string;
  clip?: number;
  code?: string;
  /** The bundle folder, exactly (PATH.zip beside it); or outDir: a folder the bundle is named in. */
  out?: string;
  outDir?: string;
  preset?: string;
  maxMb?: number;
  maxSeconds?: number;
  banner: boolean;
  sheet: boolean;
  /** Also one side-by-side MP4 of every camera (a clip filmed by several). */
  composite?: boolean;
  lang: 'zh-CN' | 'en';
  ffmpeg?: string;
}

export async function runExport(o: ExportCommandOptions, signal: AbortSignal, progress: (line: string) => void): Promise<ClipExportResult> {
  const dataDir = resolveDataDir(o.data);
  const dbFile = join(dataDir, 'packwitness.db');
  if (!existsSync(dbFile) || statSync(dbFile).size === 0) throw noDatabase(dataDir);
  if ((o.clip === undefined) === (o.code === undefined)) throw new ExportError('say which clip: --clip ID or --code CODE (one of them)');
  const ffmpeg = await locateFfmpeg(o.ffmpeg);
  const db = openDatabase(dbFile, {
    whenNew: () => {
      throw noDatabase(dataDir);
    },
  });
  try {
    const clips = new ClipsRepo(db);
    const clipId = o.clip ?? clipForCode(db, o.code!);
    let target: string | { inside: string };
    if ((o.out === undefined) === (o.outDir === undefined)) throw new ExportError('say where the bundle goes: --out PATH or --out-dir DIR (one of them)');
    if (o.out !== undefined) {
      const out = resolve(o.out.replace(/\.zip$/i, ''));
      if (existsSync(out)) throw new ExportError(`${out} already exists; choose a new --out path (an export never overwrites evidence)`);
      if (!existsSync(dirname(out))) throw new ExportError(`the folder ${dirname(out)} does not exist`);
      target = out;
    } else {
      const dir = resolve(o.outDir!);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ExportError(`the folder ${dir} does not exist`);
      target = { inside: dir };
    }
    const request: ExportRequest = { preset: o.preset, maxMb: o.maxMb, maxSeconds: o.maxSeconds, banner: o.banner, sheet: o.sheet, composite: o.composite ?? false, locale: o.lang };
    const store = new SettingsStore(db);
    // The camera names the settings screen gave, else the camera's spec (passwords masked), as the clip
    // page shows an unnamed one; a station started with --camera alone saved neither: then its id.
    const cameraName = (id: string): string => {
      const saved = new StationSettings(store).cameras().cameras.find((c) => c.id === id);
      return saved ? saved.name || maskCredentials(saved.spec) : id;
    };
    const deps = { db, dataDir, ffmpegPath: ffmpeg.path, clips, keys: loadOrCreateStationKeys(dataDir), presets: loadPresets(store), cameraName, waitForCameras: true };
    const started = Date.now();
    const result = await exportClip(deps, clipId, request, target, {
      signal,
      onProgress: (percent, phase) => {
        const eta = etaSeconds(started, percent);
        progress(`${phase} ${percent.toFixed(0)}%${eta === null ? '' : ` ETA ${eta} s`}`);
      },
    });
    clips.audit(clipId, `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`, 'export', JSON.stringify({ preset: o.preset ?? null, kind: result.plan.kind, out: basename(result.bundleDir) }));
    return result;
  } finally {
    db.close();
  }
}

/** The clip a code is on. A code on several clips (a re-shipped order) must be settled by id. */
function clipForCode(db: ReturnType<typeof openDatabase>, code: string): number {
  const rows = db
    .prepare('SELECT DISTINCT c.id, c.start_ms FROM clip_codes cc JOIN clips c ON c.id = cc.clip_id WHERE cc.code_norm = ? ORDER BY c.start_ms DESC')
    .all(normalizeCode(code)) as Array<{ id: number; start_ms: number }>;
  if (!rows.length) throw new ExportError(`no clip has the code "${code}" (try \`packwitness find\` with a fragment)`);
  if (rows.length > 1) {
    throw new ExportError(`the code "${code}" is on ${rows.length} clips (${rows.map((r) => `${r.id} at ${new Date(r.start_ms).toISOString()}`).join(', ')}); choose one with --clip ID`);
  }
  return rows[0]!.id;
}
