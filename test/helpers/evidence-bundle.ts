/**
 * A real evidence bundle for tests: a station records the demo camera, a scanned order and waybill
 * make a clip, the station stops, and the clip is sealed from the station's own database and key,
 * the way the exporter will (clip MP4 copied in as the video, a frame of it as the sheet).
 */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Clip, ScanResponse, routes, type ExportRequest } from '../../shared/api.js';
import { ClipsRepo } from '../../electron/station/clips/clips-repo.js';
import { exportClip, type ClipExportResult } from '../../electron/station/export/clip-export.js';
import { loadPresets } from '../../electron/station/export/presets.js';
import { SettingsStore } from '../../electron/station/scans/settings-store.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { sealBundle, type SealedBundle } from '../../electron/station/evidence/bundle.js';
import { canonicalJson, Manifest } from '../../electron/station/evidence/manifest.js';
import { chainLine, type ChainEntry } from '../../electron/station/evidence/segment-chain.js';
import { fingerprintOf, loadOrCreateStationKeys, type StationKeys } from '../../electron/station/evidence/station-keys.js';
import { locateFfmpeg } from '../../electron/station/ffmpeg/locate.js';
import { startStation, tempDataDir, waitFor } from './station-process.js';

export const ORDER = '123456789012345678';
export const WAYBILL = 'SF1234567890123';

export interface RecordedClip {
  dataDir: string;
  clipId: number;
  fingerprint: string;
}

/** Record one clip (order + waybill, ~7 s with pre-roll) on a real station, then stop it. */
export async function recordClip(): Promise<RecordedClip> {
  const station = await startStation();
  try {
    const scan = async (code: string): Promise<ScanResponse> =>
      ScanResponse.parse(await (await station.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    await sleep(3_000); // pre-roll footage
    const started = await scan(ORDER);
    await sleep(2_000);
    await scan(WAYBILL);
    await sleep(2_000);
    await scan('PW-STOP');
    const clipId = started.id!;
    await waitFor(async () => Clip.parse(await (await station.api(routes.clip(clipId))).json()).video !== null, 20_000, `clip ${clipId} video`);
    const status = (await (await station.api(routes.status)).json()) as { stationKey: { fingerprint: string } };
    return { dataDir: station.dataDir, clipId, fingerprint: status.stationKey.fingerprint };
  } finally {
    await station.stop();
  }
}

/** Seal a bundle of the clip into a new folder (named `bundle-<clip>`), as the exporter would. */
export async function sealRecordedClip(rec: RecordedClip, parent = tempDataDir('pw-bundle-')): Promise<{ bundleDir: string; sealed: SealedBundle }> {
  const bundleDir = join(parent, `bundle-${rec.clipId}`);
  mkdirSync(bundleDir, { recursive: true });
  const db = openDatabase(join(rec.dataDir, 'packwitness.db'));
  try {
    const file = (db.prepare('SELECT file FROM clips WHERE id = ?').get(rec.clipId) as { file: string }).file;
    const video = join(bundleDir, 'clip.mp4');
    copyFileSync(join(rec.dataDir, ...file.split('/')), video);
    chmodSync(video, 0o644); // the station's copy is read-only; tests tamper with this one
    const ffmpeg = await locateFfmpeg();
    await promisify(execFile)(ffmpeg.path, ['-v', 'error', '-ss', '2', '-i', video, '-frames:v', '1', '-y', join(bundleDir, 'sheet.png')]);
    const sealed = await sealBundle({
      db,
      dataDir: rec.dataDir,
      clipId: rec.clipId,
      bundleDir,
      files: [
        { path: 'clip.mp4', role: 'video' },
        { path: 'sheet.png', role: 'sheet-png' },
      ],
      exportSettings: { kind: 'original', note: 'test export' },
      keys: loadOrCreateStationKeys(rec.dataDir),
    });
    return { bundleDir, sealed };
  } finally {
    db.close();
  }
}

/**
 * Export the clip as the station's exporter does (the real `exportClip`: original video, evidence
 * sheet, HOW-TO-VERIFY.txt, the names a reviewer receives), into a new folder.
 */
export async function exportRecordedClip(rec: RecordedClip, request: ExportRequest = { preset: 'original' }, parent = tempDataDir('pw-export-')): Promise<ClipExportResult> {
  const db = openDatabase(join(rec.dataDir, 'packwitness.db'));
  try {
    const ffmpeg = await locateFfmpeg();
    const deps = { db, dataDir: rec.dataDir, ffmpegPath: ffmpeg.path, clips: new ClipsRepo(db), keys: loadOrCreateStationKeys(rec.dataDir), presets: loadPresets(new SettingsStore(db)) };
    return await exportClip(deps, rec.clipId, request, { inside: parent });
  } finally {
    db.close();
  }
}

/** A copy of a bundle folder to tamper with. */
export function copyBundle(bundleDir: string, name: string): string {
  const dest = join(tempDataDir('pw-tamper-'), name);
  cpSync(bundleDir, dest, { recursive: true });
  return dest;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export function otherKeys(): StationKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fingerprintOf(publicKey) };
}

export function readManifest(dir: string): Manifest {
  return Manifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
}

/**
 * What someone holding a signing key can do: change the manifest, rewrite chain.txt to match it,
 * refresh every file hash and SHA256SUMS, and sign again. Used to reach the checks behind the signature.
 */
export function resign(dir: string, key: Pick<StationKeys, 'privateKey'>, mutate: (m: Manifest) => void): void {
  const m = readManifest(dir);
  mutate(m);
  writeFileSync(join(dir, 'chain.txt'), m.chain.entries.map((e) => `${chainLine(e as ChainEntry)}\n`).join(''));
  for (const f of m.files.filter((f) => f.path !== 'SHA256SUMS')) {
    const bytes = readFileSync(join(dir, f.path));
    Object.assign(f, { bytes: bytes.length, sha256: sha256(bytes) });
  }
  writeFileSync(join(dir, 'SHA256SUMS'), m.files.filter((f) => f.path !== 'SHA256SUMS').map((f) => `${f.sha256}  ${f.path}\n`).join(''));
  const sums = readFileSync(join(dir, 'SHA256SUMS'));
  Object.assign(m.files.find((f) => f.path === 'SHA256SUMS')!, { bytes: sums.length, sha256: sha256(sums) });
  const bytes = canonicalJson(m);
  writeFileSync(join(dir, 'manifest.json'), bytes);
  writeFileSync(join(dir, 'manifest.sig'), sign(null, bytes, key.privateKey));
}

/**
 * A complete forgery, as anyone can make one: the bundle's key replaced by `forger`'s everywhere, every
 * chain entry signed again with it, `mutate` applied, and the whole signed. It agrees with itself; only
 * the fingerprint a reader trusts tells it from the station's.
 */
export function forge(dir: string, forger: StationKeys, mutate: (m: Manifest) => void = () => undefined): void {
  writeFileSync(join(dir, 'station.pub.pem'), forger.publicKeyPem);
  resign(dir, forger, (m) => {
    m.station.publicKeyPem = forger.publicKeyPem;
    m.station.fingerprint = forger.fingerprint;
    for (const e of m.chain.entries) e.signature = sign(null, Buffer.from(`${chainLine(e as ChainEntry)}\n`), forger.privateKey).toString('hex');
    mutate(m);
  });
}

export function flipByte(file: string, at: 'middle' | number = 'middle'): void {
  chmodSync(file, 0o644);
  const b = readFileSync(file);
  const i = at === 'middle' ? Math.floor(b.length / 2) : at;
  b[i] = b[i]! ^ 0x01;
  writeFileSync(file, b);
}
