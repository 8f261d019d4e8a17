/**
 * A lost database: real stations, real SQLite files, the built CLI. The station refuses to
 * start beside an earlier life, backups roll while it records, and `packwitness recover` brings back
 * what a backup and the files prove, with the evidence chain continuing in a new epoch that both old
 * and new exports verify against.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Clip, ScanResponse, routes } from '../../shared/api.js';
import { checkBackup, listBackups } from '../../electron/station/catalog/backups.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { publicKeyFromPem } from '../../electron/station/evidence/station-keys.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: { ...process.env, PACKWITNESS_LOG: 'warn', ...env }, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function scan(s: StationProcess, code: string): Promise<ScanResponse> {
  return ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
}

/** One clip: scan, ~3 s, stop; resolves when its MP4 is written. */
async function recordClip(s: StationProcess, code: string): Promise<number> {
  const started = await scan(s, code);
  await sleep(3_000);
  await scan(s, 'PW-STOP');
  const id = started.id!;
  await waitFor(async () => Clip.parse(await (await s.api(routes.clip(id))).json()).video !== null, 30_000, `clip ${id} video`);
  return id;
}

function chainHead(dataDir: string): number {
  const db = openDatabase(join(dataDir, 'packwitness.db'), { readonly: true });
  try {
    return (db.prepare('SELECT max(seq) AS n FROM (SELECT seq FROM segment_chain UNION ALL SELECT seq FROM chain_epochs)').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function exportClip(dataDir: string, clipId: number, out: string): Promise<string> {
  const r = await cli(['export', '--data', dataDir, '--clip', String(clipId), '--out', out, '--no-sheet']);
  expect(r.stderr + r.stdout, `export of clip ${clipId}`).toMatch(/^bundle\t/m);
  expect(r.code).toBe(0);
  return out;
}

/** The station's fingerprint, as its operator would hand it to a reader (verify trusts only a checked key). */
const fingerprint = (dataDir: string): string => publicKeyFromPem(readFileSync(join(dataDir, 'keys', 'station-ed25519.pub.pem'), 'utf8')).fingerprint;

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('a lost database', () => {
  it('an empty database beside footage: the station refuses with one sentence (exit 1), doctor FAILs, find says the same, and nothing is touched', async () => {
    const s = await startStation();
    await sleep(3_000);
    await s.stop();
    const dataDir = s.dataDir;
    writeFileSync(join(dataDir, 'packwitness.db'), '');
    for (const f of ['packwitness.db-wal', 'packwitness.db-shm']) rmSync(join(dataDir, f), { force: true });

    const station = await cli(['station', '--data', dataDir, '--camera', 'demo:320x180@5', '--port', '0']);
    expect(station.code).toBe(1);
    expect(station.stdout).not.toMatch(/READY/);
    const sentence = /packwitness: The database .*packwitness\.db is missing or empty, but the folder holds an earlier station's signing key and segment files, so starting would begin a new, empty index beside them: run `packwitness recover --data .*` to rebuild it from the backups and the footage\.\n/;
    expect(station.stderr).toMatch(sentence);
    noStack(station.stderr);
    expect(statSync(join(dataDir, 'packwitness.db')).size).toBe(0);

    const doctor = await cli(['doctor', '--data', dataDir, '--port', '0', '--json']);
    expect(doctor.code).toBe(1);
    const db = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string; summary: string }> }).checks.find((c) => c.id === 'database')!;
    expect(db.status).toBe('fail');
    expect(db.summary).toMatch(/is missing or empty, but the folder holds an earlier station's .*packwitness recover/);
    expect(db.summary).not.toMatch(/intact|schema version 0/);

    const find = await cli(['find', '--data', dataDir, '1234']);
    expect(find.code).toBe(1);
    expect(find.stderr).toMatch(/missing or empty, but the folder holds/);

    // A deleted database is the same refusal, and the station does not create one.
    rmSync(join(dataDir, 'packwitness.db'));
    const again = await cli(['station', '--data', dataDir, '--camera', 'demo:320x180@5', '--port', '0']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(sentence);
    expect(existsSync(join(dataDir, 'packwitness.db'))).toBe(false);
  }, 120_000);

  it('a new folder still starts', async () => {
    const s = await startStation({ dataDir: join(tempDataDir(), 'fresh') });
    expect(s.url).toMatch(/^http:/);
    expect(await s.stop()).toBe(0);
  }, 60_000);

  it('a corrupt database (garbage bytes): one sentence from station, find, export, move-data and doctor, never a stack trace', async () => {
    const s = await startStation();
    await sleep(2_500);
    await s.stop();
    const file = join(s.dataDir, 'packwitness.db');
    writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 151 + 7) % 256)));
    const expected = /^packwitness: The database .*packwitness\.db cannot be read \(it is not a SQLite database\); stop the station and run `packwitness recover --data .*` to set it aside and rebuild the index from the backups and the footage\.\n$/m;
    for (const args of [
      ['station', '--data', s.dataDir, '--camera', 'demo:320x180@5', '--port', '0'],
      ['find', '--data', s.dataDir, '1234'],
      ['export', '--data', s.dataDir, '--clip', '1', '--out', join(tempDataDir(), 'x')],
      ['move-data', '--data', s.dataDir, '--to', join(tempDataDir(), 'moved')],
    ]) {
      const r = await cli(args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toMatch(expected);
      noStack(r.stderr);
      expect(r.stderr).not.toMatch(/unexpected error/);
    }
    const doctor = await cli(['doctor', '--data', s.dataDir, '--port', '0', '--json']);
    const db = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string; summary: string }> }).checks.find((c) => c.id === 'database')!;
    expect(db.status).toBe('fail');
    expect(db.summary).toMatch(/cannot be read \(it is not a SQLite database\).*packwitness recover/);
  }, 120_000);

  it('backups roll while a station records, and recover restores clips, notes and protection from one, indexes newer footage, and continues the chain so exports before and after the loss verify', async () => {
    // 1. Recording with a backup every 2 s: backups appear, pass quick_check, and only the last 3 stay.
    const first = await startStation({ env: { PACKWITNESS_BACKUP_INTERVAL_S: '2' } });
    const dataDir = first.dataDir;
    const protectedId = await recordClip(first, 'SF1111111111111');
    const patch = await first.api(routes.clip(protectedId), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ protected: true, note: 'buyer says the box was empty' }) });
    expect(patch.status).toBe(200);
    const seen = new Set<string>();
    await waitFor(
      () => {
        for (const b of listBackups(dataDir)) seen.add(b.name);
        return seen.size >= 5;
      },
      60_000,
      'five backups',
    );
    const kept = listBackups(dataDir);
    expect(kept.length).toBeLessThanOrEqual(3);
    for (const b of kept) {
      expect(checkBackup(b.file)).toBeNull();
      expect(statSync(b.file).mode & 0o222).toBe(0);
    }
    expect(readdirSync(join(dataDir, 'backups')).filter((n) => !/^packwitness-\d{8}T\d{9}Z\.db$/.test(n) && !n.startsWith('.partial-'))).toEqual([]);
    const before = await exportClip(dataDir, protectedId, join(tempDataDir('pw-bundle-'), 'before-protected'));
    expect(await first.stop()).toBe(0);
    // The newest backup holds the protected clip and its note.
    const backupsAfterStop = listBackups(dataDir);

    // 2. A second shift without a due backup: another clip and footage the backup lacks; exported before the loss.
    const second = await startStation({ dataDir });
    const laterId = await recordClip(second, 'YT2222222222222');
    await sleep(2_000);
    expect(await second.stop()).toBe(0);
    expect(listBackups(dataDir).map((b) => b.name)).toEqual(backupsAfterStop.map((b) => b.name));
    const laterBefore = await exportClip(dataDir, laterId, join(tempDataDir('pw-bundle-'), 'before-later'));
    const lastSeqBeforeLoss = chainHead(dataDir);

    // 3. The database is lost. The station refuses; recover restores.
    for (const f of ['packwitness.db', 'packwitness.db-wal', 'packwitness.db-shm']) rmSync(join(dataDir, f), { force: true });
    const refused = await cli(['station', '--data', dataDir, '--camera', 'demo:320x180@5', '--port', '0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/database backups/);
    const recovered = await cli(['recover', '--data', dataDir]);
    expect(recovered.code).toBe(0);
    expect(recovered.stdout).toMatch(new RegExp(`backup: +${backupsAfterStop[0]!.name}`));
    expect(recovered.stdout).toMatch(/clips: +\d+ from the backup \(1 protected, 1 with notes\); 1 restored from their video files, without codes or protection/);
    expect(recovered.stdout).toMatch(/segments: +\d+ from the backup, [1-9]\d* indexed from their files/);
    const epoch = Number(/new epoch at seq (\d+) after seq (\d+)/.exec(recovered.stdout)![1]);
    expect(epoch).toBeGreaterThan(lastSeqBeforeLoss);

    // 4. The station starts on the recovered index: the protected clip with its note, the later clip by id.
    const third = await startStation({ dataDir });
    const restored = Clip.parse(await (await third.api(routes.clip(protectedId))).json());
    expect(restored.protected).toBe(true);
    expect(restored.note).toBe('buyer says the box was empty');
    expect(restored.codes).toContain('SF1111111111111');
    const later = Clip.parse(await (await third.api(routes.clip(laterId))).json());
    expect(later.video).not.toBeNull();
    // New footage is chained above the epoch: no seq is reused.
    await sleep(3_000);
    const newClip = await recordClip(third, 'JD3333333333333');
    expect(newClip).toBeGreaterThan(laterId);
    expect(await third.stop()).toBe(0);
    expect(chainHead(dataDir)).toBeGreaterThan(epoch);

    // 5. Exports from before the loss and after it all verify; the one over re-indexed footage says so.
    const afterProtected = await exportClip(dataDir, protectedId, join(tempDataDir('pw-bundle-'), 'after-protected'));
    const afterLater = await exportClip(dataDir, laterId, join(tempDataDir('pw-bundle-'), 'after-later'));
    for (const bundle of [before, laterBefore, afterProtected, afterLater]) {
      const v = await cli(['verify', bundle, '--expect-fingerprint', fingerprint(dataDir)]);
      expect(v.stdout + v.stderr, bundle).toMatch(/VERIFIED/);
      expect(v.code).toBe(0);
    }
    const v = await cli(['verify', afterLater, '--expect-fingerprint', fingerprint(dataDir)]);
    expect(v.stdout).toMatch(/database was lost \(database-missing\) and rebuilt/);
    expect(v.stdout).toMatch(/recorded before that rebuild and hashed by it/);
    // The old database file was kept aside, never deleted (here it was deleted by hand: nothing to keep).
    const manifest = JSON.parse(readFileSync(join(afterLater, 'manifest.json'), 'utf8')) as { chain: { entries: Array<{ seq: number; kind?: string }> } };
    expect(manifest.chain.entries[0]).toMatchObject({ kind: 'epoch', seq: epoch });
  }, 300_000);

  it('recover without a backup rebuilds runs and segments from the files and keeps the unreadable database aside', async () => {
    const s = await startStation();
    const id = await recordClip(s, 'SF5555555555555');
    await s.stop();
    const file = join(s.dataDir, 'packwitness.db');
    copyFileSync(file, join(tempDataDir(), 'unused.db'));
    writeFileSync(file, 'not a database at all');
    const r = await cli(['recover', '--data', s.dataDir, '--from-backup', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/the database was unreadable/);
    expect(r.stdout).toMatch(/backup: +none/);
    expect(r.stdout).toMatch(/none from a backup: codes, notes and protection cannot be rebuilt from the files; 1 restored from their video files/);
    const aside = readdirSync(s.dataDir).filter((n) => n.startsWith('packwitness.db.lost-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(s.dataDir, aside[0]!), 'utf8')).toBe('not a database at all');
    const again = await startStation({ dataDir: s.dataDir });
    const { segments } = (await (await again.api(routes.segments)).json()) as { segments: unknown[] };
    expect(segments.length).toBeGreaterThan(3);
    expect(Clip.parse(await (await again.api(routes.clip(id))).json()).video).not.toBeNull();
    await again.stop();
    const bundle = await exportClip(s.dataDir, id, join(tempDataDir('pw-bundle-'), 'rebuilt'));
    const v = await cli(['verify', bundle, '--expect-fingerprint', fingerprint(s.dataDir)]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/knew no earlier entry \(no backup\)/);
  }, 180_000);

  it('recover passes over a backup that does not check out (a torn copy) and never takes a partial one', async () => {
    const s = await startStation({ env: { PACKWITNESS_BACKUP_INTERVAL_S: '2' } });
    const id = await recordClip(s, 'SF6666666666666');
    await waitFor(() => listBackups(s.dataDir).length >= 2, 30_000, 'two backups');
    await s.stop();
    const good = listBackups(s.dataDir)[0]!;
    const later = Date.parse(new Date(good.atMs + 60_000).toISOString());
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:.]/g, '');
    // A newer backup cut short, and a newer partial one: neither may be restored.
    const torn = join(s.dataDir, 'backups', `packwitness-${stamp(later)}.db`);
    writeFileSync(torn, readFileSync(good.file).subarray(0, 8192));
    copyFileSync(good.file, join(s.dataDir, 'backups', `.partial-packwitness-${stamp(later + 60_000)}.db`));
    rmSync(join(s.dataDir, 'packwitness.db'));
    const r = await cli(['recover', '--data', s.dataDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`backup: +${good.name}`));
    expect(r.stdout).toMatch(new RegExp(`skipped packwitness-${stamp(later)}\\.db: `));
    const again = await startStation({ dataDir: s.dataDir });
    expect(Clip.parse(await (await again.api(routes.clip(id))).json()).codes).toContain('SF6666666666666');
    await again.stop();
  }, 120_000);

  it('recover refuses an intact database and a running station, changing nothing', async () => {
    const s = await startStation();
    const running = await cli(['recover', '--data', s.dataDir]);
    expect(running.code).toBe(1);
    expect(running.stderr).toMatch(/^packwitness: Another station \(pid \d+\) is already recording into /);
    await s.stop();
    const intact = await cli(['recover', '--data', s.dataDir]);
    expect(intact.code).toBe(1);
    expect(intact.stderr).toMatch(/is intact; recover is for a lost or damaged one/);
    expect(readdirSync(s.dataDir).filter((n) => n.includes('.lost-') || n.includes('.recovering'))).toEqual([]);
    const usage = await cli(['recover', '--data', s.dataDir, '--no-such-option']);
    expect(usage.code).toBe(2);
  }, 120_000);
});
