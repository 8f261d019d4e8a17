/**
 * Moving the data folder from the settings (POST /api/settings/storage/move) of a real, recording
 * station process: refusals in one sentence that move nothing; an accepted move copies the sealed
 * footage while the station records, then stops it, moves the rest verified and brings the station back
 * on the same URL and token, recording into the new folder, with its clips found and playable and the
 * evidence chain intact. Through the host, in-process, with a real station: the copy made while
 * recording (progress over HTTP, segments still arriving, those copies trusted afterwards); a move
 * that fails while copying leaves the station recording on its folder, one that fails after it stopped
 * restarts it there; both keep the failure sentence for the settings screen.
 */
import { renderKnown } from '../../shared/messages/index.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClipSearchResponse, ErrorResponse, routes, ScanResponse, SettingsInfo, StatusResponse, StorageMoveAccepted } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { checkStoredChain } from '../../electron/station/evidence/segment-chain.js';
import { publicKeyFromPem } from '../../electron/station/evidence/station-keys.js';
import { StationHost } from '../../electron/station/station-host.js';
import { Station } from '../../electron/station/station.js';
import { POINTER_FILE, PRECOPY_MANIFEST } from '../../electron/station/storage/move-data.js';
import { sha256Of } from '../helpers/media.js';
import { startStation, tempDataDir, TEST_CAMERA, waitFor, type StationProcess } from '../helpers/station-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WAYBILL = 'YT5566778899';
const json = { 'content-type': 'application/json' };

describe('moving the data folder from the settings', () => {
  let s: StationProcess | null = null;
  const hosts: StationHost[] = [];
  afterAll(async () => {
    await s?.stop();
    for (const h of hosts) await h.stop().catch(() => undefined);
  });

  it('refuses what cannot work in one sentence, then moves a recording station and brings it back on the same URL', async () => {
    s = await startStation();
    const st = s;
    let laterStdout = '';
    st.proc.stdout.on('data', (d: Buffer) => (laterStdout += d.toString()));
    const status = async () => StatusResponse.parse(await (await st.api(routes.status)).json());
    const move = (body: unknown) => st.api(routes.storageMove, { method: 'POST', headers: json, body: JSON.stringify(body) });
    const scan = async (code: string) => ScanResponse.parse(await (await st.api(routes.scans, { method: 'POST', headers: json, body: JSON.stringify({ code }) })).json());

    await waitFor(async () => ((await status()).segmentCount >= 2 ? true : undefined), 20_000, 'two segments');
    expect((await scan(WAYBILL)).action).toBe('started');
    await sleep(3_000);
    expect((await scan('PW-STOP')).action).toBe('stopped');
    const search = async () => ClipSearchResponse.parse(await (await st.api(`${routes.clips}?q=778899`)).json());
    await waitFor(async () => ((await search()).items[0]?.hasVideo ? true : undefined), 30_000, 'the clip video');
    const from = st.dataDir;

    // Refusals: one sentence each, 400, nothing created, nothing moved, still recording.
    const base = tempDataDir('pw-smove-');
    const busy = join(base, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'holiday.jpg'), 'x');
    // Each in English (`error`, and `message.en`) and in Chinese (`message['zh-CN']`, what the zh-CN UI shows).
    const refusals: Array<[unknown, RegExp, RegExp]> = [
      [{ to: 'PackWitness-new' }, /^The new folder must be a full path \(such as .*\), not "PackWitness-new"\.$/, /^新文件夹须为完整路径（如 .*），而不是“PackWitness-new”。$/],
      [{ to: busy }, /^The new folder .*busy is not empty; choose an empty or new folder\.$/, /^新文件夹 .*busy 不是空的；请选择空文件夹或新文件夹。$/],
      [{ to: join(from, 'runs', 'elsewhere') }, /^The new folder .* is inside the current data folder .*; choose a folder outside it\.$/, /^新文件夹 .* 位于当前数据文件夹 .* 之内；请选择它之外的文件夹。$/],
      [{ to: join(from, '..') }, /^The current data folder .* is inside the new folder .*; choose a folder that does not contain it\.$/, /^当前数据文件夹 .* 位于新文件夹 .* 之内；请选择不包含它的文件夹。$/],
      [{ where: '/tmp/x' }, /^Name the new folder: /, /^请填写新文件夹：/],
    ];
    for (const [body, sentence, chinese] of refusals) {
      const r = await move(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      const e = ErrorResponse.parse(await r.json());
      expect(e.error).toMatch(sentence);
      expect(e.error.split(/[.;] /).length <= 2 && !e.error.includes('\n')).toBe(true);
      expect(e.message?.en).toBe(e.error);
      expect(e.message?.['zh-CN']).toMatch(chinese);
    }
    expect(existsSync(join(from, 'runs', 'elsewhere'))).toBe(false);
    expect(readdirSync(busy)).toEqual(['holiday.jpg']);
    expect(existsSync(join(from, POINTER_FILE))).toBe(false);
    expect(existsSync(join(from, 'packwitness.db'))).toBe(true);
    expect((await status()).recording).toBe(true);
    expect(SettingsInfo.parse(await (await st.api(routes.settingsInfo)).json())).toMatchObject({ dataDir: from, lastMove: null });

    // The move: 202 at once, then the station goes away and comes back on the same address and token.
    const to = join(base, 'NewHome', 'PackWitness');
    const segmentsBefore = (await status()).segmentCount;
    const accepted = await move({ to });
    expect(accepted.status).toBe(202);
    const a = StorageMoveAccepted.parse(await accepted.json());
    expect(a).toMatchObject({ from, to });
    const info = await waitFor(
      async () => {
        const r = await st.api(routes.settingsInfo).catch(() => null);
        if (!r?.ok) return undefined;
        const i = SettingsInfo.parse(await r.json());
        return i.lastMove ? i : undefined;
      },
      90_000,
      'the station back after the move',
    );
    expect(info.dataDir).toBe(to);
    expect(info.lastMove).toMatchObject({ from, to, state: 'done', error: null, requestedAt: a.requestedAt });
    expect(info.lastMove!.files).toBeGreaterThan(5);
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
    expect(JSON.parse(readFileSync(join(from, POINTER_FILE), 'utf8'))).toMatchObject({ movedTo: to, from });

    // The clip is found and plays from the new folder.
    const found = await search();
    expect(found.items.map((c) => c.codes)).toEqual([[WAYBILL]]);
    const video = await st.api(routes.clipVideo(found.items[0]!.id));
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    // Recording goes on, into the new folder; READY was printed once, at the first start only.
    const segmentsAfterMove = (await status()).segmentCount;
    expect(segmentsAfterMove).toBeGreaterThanOrEqual(segmentsBefore);
    await waitFor(async () => ((await status()).segmentCount >= segmentsAfterMove + 2 ? true : undefined), 30_000, 'new segments after the move');
    expect(laterStdout).not.toMatch(/READY/);
    expect(st.stderr()).not.toMatch(/unexpected error/);

    expect(await st.stop()).toBe(0);
    s = null;
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
    const db = openDatabase(join(to, 'packwitness.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT file FROM segments').all() as Array<{ file: string }>;
      expect(rows.length).toBeGreaterThanOrEqual(segmentsAfterMove + 2);
      for (const row of rows) expect(existsSync(join(to, ...row.file.split('/'))), row.file).toBe(true);
      const key = publicKeyFromPem(readFileSync(join(to, 'keys', 'station-ed25519.pub.pem'), 'utf8'));
      expect(checkStoredChain(db, key.publicKey)).toBeNull();
    } finally {
      db.close();
    }
  }, 240_000);

  /** A host running a real station in this process; the failure paths are reached past the route's checks. */
  async function hostedStation(testHooks?: ConstructorParameters<typeof StationHost>[0]['testHooks']): Promise<{ host: StationHost; dataDir: string; origin: string; token: string }> {
    const dataDir = tempDataDir('pw-smove-fail-');
    const token = `t-${Math.random().toString(36).slice(2)}`;
    const host = new StationHost({ station: { dataDir, camera: TEST_CAMERA, port: 0, token }, testHooks });
    hosts.push(host);
    await host.start();
    await host.station.whenRecording();
    return { host, dataDir, origin: new URL(host.station.url).origin, token };
  }

  /** `restarted`: the failure came after the station stopped for the last step (else while it still recorded). */
  async function failedMove(h: Awaited<ReturnType<typeof hostedStation>>, to: string, sentence: RegExp, chinese: RegExp, restarted = false): Promise<void> {
    const before = h.host.station;
    const segments = before.status().segmentCount;
    h.host.requestMove(to);
    expect(h.host.busy).toBe(true);
    await h.host.idle();
    const after = h.host.station;
    if (restarted) expect(after).not.toBe(before);
    else expect(after).toBe(before);
    expect(after.dataDir).toBe(h.dataDir);
    expect(new URL(after.url).origin).toBe(h.origin);
    expect(existsSync(join(h.dataDir, POINTER_FILE))).toBe(false);
    // The settings screen reads the failure over HTTP from the station (restarted or not), same token.
    const r = await fetch(h.origin + routes.settingsInfo, { headers: { authorization: `Bearer ${h.token}` } });
    const info = SettingsInfo.parse(await r.json());
    expect(info.dataDir).toBe(h.dataDir);
    expect(info.lastMove).toMatchObject({ from: h.dataDir, to, state: 'failed', files: 0, bytes: 0 });
    expect(info.move).toBeNull();
    expect(info.lastMove!.error).toMatch(sentence);
    // The same sentence for the zh-CN settings screen.
    expect(renderKnown(info.lastMove!.errorMessage!, 'en')).toBe(info.lastMove!.error);
    expect(renderKnown(info.lastMove!.errorMessage!, 'zh-CN')).toMatch(chinese);
    await after.whenRecording();
    await waitFor(() => (after.status().segmentCount > segments ? true : undefined), 30_000, 'recording again on the old folder');
  }

  it('a move that fails after the checks (a file in the way) keeps the station recording on its folder and keeps the sentence', async () => {
    const h = await hostedStation();
    const dir = tempDataDir('pw-smove-file-');
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    await failedMove(h, join(dir, 'not-a-folder', 'PackWitness'), /^The new folder .* is not writable \(ENOTDIR\); choose another folder or fix its permissions\.$/, /^新文件夹 .* 无法写入（ENOTDIR）；请换一个文件夹或修改其权限。$/);
  }, 120_000);

  it('a move to a disk too small for the footage (tmpfs): the route refuses it; past the route, the host refuses it before copying and says so', async (ctx) => {
    const mnt = tempDataDir('pw-smove-small-');
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]).status !== 0) ctx.skip(); // needs root with mount rights
    try {
      const h = await hostedStation();
      const refused = await fetch(h.origin + routes.storageMove, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${h.token}` },
        body: JSON.stringify({ to: join(mnt, 'PackWitness') }),
      });
      expect(refused.status).toBe(400);
      expect(ErrorResponse.parse(await refused.json()).error).toMatch(/^Not enough free space in .*PackWitness: the data folder needs \d+ MB \(with 68 MB spare\), only \d MB are free\.$/);
      expect(readdirSync(mnt)).toEqual([]);
      expect(h.host.busy).toBe(false);
      await failedMove(h, join(mnt, 'PackWitness'), /^Not enough free space in .*: the data folder needs \d+ MB \(with 68 MB spare\), only \d MB are free\.$/, /^.* 的可用空间不足：数据文件夹需要 \d+ MB（含 68 MB 余量），只有 \d MB 可用。$/);
      expect(readdirSync(mnt)).toEqual([]);
    } finally {
      for (const host of hosts.splice(0)) await host.stop().catch(() => undefined);
      spawnSync('umount', [mnt]);
    }
  }, 120_000);

  it('copies the sealed footage while the station records (progress over HTTP, new segments meanwhile), then trusts those copies', async () => {
    let origin = '';
    let token = '';
    let probed: { copying: SettingsInfo['move']; segmentsGrew: boolean } | null = null;
    const h = await hostedStation({
      // Inside the copy, after its first file: the station answers, says how far the copy is, and records on.
      afterCopy: async () => {
        if (probed) return;
        const info = async () => SettingsInfo.parse(await (await fetch(origin + routes.settingsInfo, { headers: { authorization: `Bearer ${token}` } })).json());
        const before = h.host.station.status().segmentCount;
        const grew = await waitFor(() => (h.host.station.status().segmentCount >= before + 2 ? true : undefined), 30_000, 'segments while copying');
        probed = { copying: (await info()).move, segmentsGrew: grew };
      },
    });
    origin = h.origin;
    token = h.token;
    await waitFor(() => (h.host.station.status().segmentCount >= 4 ? true : undefined), 30_000, 'four segments');
    const before = h.host.station;
    const to = join(tempDataDir('pw-smove-pre-'), 'PackWitness');
    h.host.requestMove(to, '2026-12-03T10:00:00.000Z');
    await h.host.idle();

    expect(probed).not.toBeNull();
    expect(probed!.segmentsGrew).toBe(true);
    expect(probed!.copying).toMatchObject({ to, requestedAt: '2026-12-03T10:00:00.000Z' });
    expect(probed!.copying!.filesTotal).toBeGreaterThanOrEqual(4);
    expect(probed!.copying!.bytesTotal).toBeGreaterThan(0);

    const after = h.host.station;
    expect(after).not.toBe(before);
    expect(after.dataDir).toBe(to);
    const info = SettingsInfo.parse(await (await fetch(h.origin + routes.settingsInfo, { headers: { authorization: `Bearer ${h.token}` } })).json());
    expect(info.move).toBeNull();
    expect(info.lastMove).toMatchObject({ from: h.dataDir, to, state: 'done', error: null });
    // Every sealed file the copy listed was trusted as it was; what came later was moved with recording paused.
    // (a second pass copied the segments the first one's minutes recorded, so there may be more)
    expect(info.lastMove!.precopiedFiles).toBeGreaterThanOrEqual(probed!.copying!.filesTotal);
    expect(info.lastMove!.files).toBeGreaterThan(info.lastMove!.precopiedFiles);
    expect(readdirSync(h.dataDir)).toEqual([POINTER_FILE]);
    expect(existsSync(join(to, '.packwitness-move.json'))).toBe(false);
    expect(existsSync(join(to, PRECOPY_MANIFEST))).toBe(false);
    await after.whenRecording();

    // Every indexed segment is in the new folder with the bytes it was indexed with.
    const db = openDatabase(join(to, 'packwitness.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT file, sha256 FROM segments WHERE file_deleted_ms IS NULL').all() as Array<{ file: string; sha256: string }>;
      expect(rows.length).toBeGreaterThanOrEqual(6);
      for (const row of rows) expect(sha256Of(join(to, ...row.file.split('/'))), row.file).toBe(row.sha256);
    } finally {
      db.close();
    }
  }, 180_000);

  it('a move that fails after the station stopped (the target replaced by a file meanwhile) restarts it on its old folder', async () => {
    const to = join(tempDataDir('pw-smove-late-'), 'PackWitness');
    const h = await hostedStation({
      afterPrecopy: () => {
        rmSync(to, { recursive: true, force: true });
        writeFileSync(to, 'in the way');
      },
    });
    await failedMove(h, to, /^The new folder .* is not a readable folder\.$/, /^新文件夹 .* 不是可读取的文件夹。$/, true);
  }, 120_000);

  it('a shutdown during the copy ends it between files, stops the station on its folder, and leaves the copy to resume', async () => {
    // A box rather than a `let`: TypeScript cannot see the callback assign a `let`, and takes it for null below.
    const stopping: { promise: Promise<void> | null } = { promise: null };
    const h = await hostedStation({ afterCopy: () => void (stopping.promise ??= h.host.stop()) });
    await waitFor(() => (h.host.station.status().segmentCount >= 3 ? true : undefined), 30_000, 'three segments');
    const to = join(tempDataDir('pw-smove-stop-'), 'PackWitness');
    h.host.requestMove(to);
    await h.host.idle();
    expect(stopping.promise).not.toBeNull();
    await stopping.promise;
    hosts.splice(hosts.indexOf(h.host), 1);
    expect(h.host.lastMoveOutcome).toBeNull();
    expect(existsSync(join(h.dataDir, POINTER_FILE))).toBe(false);
    expect(existsSync(join(h.dataDir, 'station.lock'))).toBe(false); // stopped cleanly
    // The copy so far is the move's: marked, listed, one file (stopped after the first).
    expect(existsSync(join(to, '.packwitness-move.json'))).toBe(true);
    expect(readFileSync(join(to, PRECOPY_MANIFEST), 'utf8').trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('a station started without a host (no way to restart it) refuses a move in one sentence', async () => {
    const dataDir = tempDataDir('pw-smove-bare-');
    const token = `t-${Math.random().toString(36).slice(2)}`;
    const station = new Station({ dataDir, camera: TEST_CAMERA, port: 0, token });
    await station.start();
    // Stopping a Station within moments of start() can hang (a race in the recorder's start-up, not this feature's).
    await station.whenRecording();
    try {
      const r = await fetch(new URL(station.url).origin + routes.storageMove, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${token}` },
        body: JSON.stringify({ to: join(tempDataDir('pw-smove-'), 'x') }),
      });
      expect(r.status).toBe(409);
      expect(ErrorResponse.parse(await r.json()).error).toBe('This station cannot move its data folder while it runs; stop it and use packwitness move-data.');
      expect(existsSync(join(dataDir, POINTER_FILE))).toBe(false);
    } finally {
      await station.stop();
    }
  }, 60_000);
});
