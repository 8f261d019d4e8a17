/**
 * Starting a real hub (the built CLI, `packwitness hub`) with its embedded PostgreSQL, as an office
 * PC would, and waiting for READY.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clip } from '../../shared/api.js';
import { spawnReady, waitFor, type CliProcess } from './station-process.js';

/** The hub's `api` carries the admin token. */
export type HubProcess = CliProcess;

/**
 * A hub data folder under the run's temporary root. Run as root, the embedded PostgreSQL runs as the
 * `postgres` user, who must be able to pass through the folders above (mkdtemp makes them 0700): the
 * root gets o+x (enter, not list).
 */
export function tempHubDir(): string {
  const root = process.env.PW_TEST_ROOT ?? tmpdir();
  if (process.getuid?.() === 0) chmodSync(root, 0o711);
  const dir = mkdtempSync(join(root, 'pw-hub-'));
  chmodSync(dir, 0o711);
  return join(dir, 'hub');
}

/** Spawns the hub; resolves with its READY URL, or rejects with its stderr when it exits first. */
export async function startHub(opts: { dataDir?: string; token?: string; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<HubProcess> {
  const dataDir = opts.dataDir ?? tempHubDir();
  const token = opts.token ?? `hub-admin-${randomBytes(16).toString('hex')}`;
  return spawnReady('hub', ['hub', '--data', dataDir, '--port', '0', '--token', token, ...(opts.args ?? [])], { dataDir, token, env: opts.env, timeoutMs: opts.timeoutMs });
}

/** A one-time pairing token from the hub (the admin's POST /api/pairings). */
export async function pairingToken(hub: HubProcess): Promise<string> {
  return ((await (await hub.api('/api/pairings', { method: 'POST' })).json()) as { token: string }).token;
}

/** A station's command-line arguments that join it to `hub` at start, with a fresh pairing token. */
export async function joinHubArgs(hub: HubProcess): Promise<string[]> {
  return ['--hub', hub.origin, '--hub-token', await pairingToken(hub)];
}

/** The embedded PostgreSQL's pid, from its pid file. */
export function embeddedPostgresPid(hubDataDir: string): number {
  return Number(readFileSync(join(hubDataDir, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** A station clip as the record a station uploads for it (HubClipUpload.clip), for tests that send their own. */
export function clipRecord(c: Clip) {
  return {
    id: c.id,
    stationName: c.station,
    camera: c.camera,
    mode: c.mode,
    status: c.status,
    codeDetails: c.codeDetails,
    startedAt: c.startedAt,
    endedAt: c.endedAt,
    endReason: c.endReason,
    protected: c.protected,
    note: c.note,
    video: { bytes: c.video!.bytes, sha256: c.video!.sha256, durationMs: c.video!.durationMs, fps: c.video!.fps ?? null },
  };
}

/**
 * A station's clip once it is on the hub with its main video and every one of its `cameras` videos
 * stored, found by searching `q` (a fragment of its code); the hub's own clip record.
 */
export async function hubClipWithCameras(hub: HubProcess, q: string, stationClipId: number, cameras: number): Promise<Clip> {
  return waitFor(async () => {
    const found = (await (await hub.api(`/api/clips?q=${encodeURIComponent(q)}`)).json()) as { items: Array<{ id: number; stationClipId: number; hasVideo: boolean }> };
    const item = found.items.find((c) => c.stationClipId === stationClipId);
    if (!item?.hasVideo) return undefined;
    const c = Clip.parse(await (await hub.api(`/api/clips/${item.id}`)).json());
    return c.cameras?.length === cameras && c.cameras.every((k) => k.hasVideo) ? c : undefined;
  }, 60_000, `clip ${stationClipId} on the hub with ${cameras} cameras`);
}
