import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, generateHistory, type History } from '../../bench/index-history.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { sealBundle } from '../../electron/station/evidence/bundle.js';
import { ChainReserve } from '../../electron/station/evidence/chain-reserve.js';
import { latestCheckpoint } from '../../electron/station/evidence/chain-checkpoint.js';
import { checkStoredChain } from '../../electron/station/evidence/segment-chain.js';
import { loadOrCreateStationKeys, type StationKeys } from '../../electron/station/evidence/station-keys.js';
import { SettingsStore } from '../../electron/station/scans/settings-store.js';
import { saveRetentionSettings } from '../../electron/station/storage/retention-settings.js';
import { cliPath, repoRoot, tempDataDir } from '../helpers/station-process.js';

/** No trusted keys file: the tester's own must not change the verdict. */
const noTrustedKeys = join(tempDataDir('pw-no-trust-'), 'trusted-keys.txt');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PACKWITNESS_TRUSTED_KEYS: noTrustedKeys } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const KEEP_DAYS = 5;
const DAYS = 14;

describe('compacting a station index with a long history (real SQLite, the station key, the CLI)', () => {
  const dataDir = tempDataDir('pw-compact-');
  const dbFile = join(dataDir, 'packwitness.db');
  let keys: StationKeys;
  let history: History;
  // Day d records (from "08:00") exactly DAYS - d - 0.5 days before now: days 0…8 are more than
  // 5 days old, half a day clear of the cut-off whenever the test runs; the last day is 12 hours ago.
  const firstDayMs = Date.now() - DAYS * DAY_MS - 8 * 3_600_000 + DAY_MS / 2;

  /** Seal a clip as the exporter would, with a stand-in video (sealing does not decode it). */
  async function seal(clipId: number, name: string): Promise<string> {
    const bundleDir = join(tempDataDir('pw-compact-bundle-'), name);
    mkdirSync(bundleDir, { recursive: true });
    writeFileSync(join(bundleDir, 'clip.mp4'), randomBytes(4096));
    const db = openDatabase(dbFile);
    try {
      await sealBundle({ db, dataDir, clipId, bundleDir, files: [{ path: 'clip.mp4', role: 'video' }], exportSettings: { kind: 'original' }, keys });
    } finally {
      db.close();
    }
    return bundleDir;
  }

  const oldProtected = (): History['clips'][number] => history.clips.find((c) => c.protected)!;
  const recent = (): History['clips'][number] => history.clips.at(-1)!;
  let exportedBefore: string;
  let recentBefore: string;
  let report: { removedSegments: number; bytesBefore: number; bytesAfter: number; vacuumed: boolean; checkpoint: { n: number; seq: number; signature: string }; checkpointLine: string | null };

  beforeAll(async () => {
    keys = loadOrCreateStationKeys(dataDir);
    const db = openDatabase(dbFile);
    try {
      saveRetentionSettings(new SettingsStore(db), { keepClipsDays: KEEP_DAYS, keepOrphanHours: 24, minFreeGb: 10, minFreePercent: 10, keepExportsDays: 14, waitForHubCopy: true });
      history = generateHistory({ db, keys, reserve: new ChainReserve(dataDir), days: DAYS, segmentsPerDay: 900, clipsPerDay: 6, protectedDays: [2], firstDayMs, nowMs: Date.now(), retentionDays: KEEP_DAYS });
    } finally {
      db.close();
    }
    exportedBefore = await seal(oldProtected().id, 'protected-before');
    recentBefore = await seal(recent().id, 'recent-before');
    const r = cli('compact', '--data', dataDir, '--json');
    expect(r.code, r.stderr).toBe(0);
    report = JSON.parse(r.stdout) as typeof report;
  }, 180_000);

  it('removes the rows of footage deleted before the retention period and shrinks the file', () => {
    // Days 0…8 ended more than 5 days ago (9 × 900 rows); the protected clip keeps its 16.
    expect(report.removedSegments).toBe(9 * 900 - 16);
    expect(report.vacuumed).toBe(true);
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore * 0.75);
    const db = openDatabase(dbFile, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM segments WHERE end_ms < ?').get(Date.now() - KEEP_DAYS * DAY_MS) as { n: number }).n).toBe(16);
      expect(latestCheckpoint(db)).toMatchObject({ n: 1, seq: report.checkpoint.seq });
      expect(checkStoredChain(db, keys.publicKey)).toBeNull();
    } finally {
      db.close();
    }
  });

  it('an export made before compaction, and new exports of a protected old clip and of a recent clip, verify with packwitness verify', async () => {
    const protectedAfter = await seal(oldProtected().id, 'protected-after');
    const recentAfter = await seal(recent().id, 'recent-after');
    for (const dir of [exportedBefore, recentBefore, protectedAfter, recentAfter]) {
      const r = cli('verify', dir, '--expect-fingerprint', keys.fingerprint);
      expect(r.stdout, dir).toMatch(/VERIFIED/);
      expect(r.code, dir).toBe(0);
    }
    // The same entries, line for line, before and after: compaction rewrote nothing that stays.
    expect(readFileSync(join(protectedAfter, 'chain.txt'), 'utf8')).toBe(readFileSync(join(exportedBefore, 'chain.txt'), 'utf8'));
    expect(readFileSync(join(recentAfter, 'chain.txt'), 'utf8')).toBe(readFileSync(join(recentBefore, 'chain.txt'), 'utf8'));
  });

  it('the checkpoint printed by packwitness compact --json checks with openssl and the station key, as docs/VERIFY.md says', () => {
    const dir = tempDataDir('pw-checkpoint-');
    writeFileSync(join(dir, 'checkpoint.txt'), `${report.checkpointLine}\n`);
    writeFileSync(join(dir, 'checkpoint.sig'), Buffer.from(report.checkpoint.signature, 'hex'));
    writeFileSync(join(dir, 'station.pub.pem'), keys.publicKeyPem);
    const ok = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'station.pub.pem', '-rawin', '-in', 'checkpoint.txt', '-sigfile', 'checkpoint.sig'], { cwd: dir, encoding: 'utf8' });
    expect(ok.stdout).toMatch(/Signature Verified Successfully/);
    expect(report.checkpointLine).toMatch(new RegExp(`^pwcheckpoint1 n=1 prev=0{64} seq=${report.checkpoint.seq} hash=[0-9a-f]{64} at=\\d+ before=\\d+ kept=\\S+$`));
    writeFileSync(join(dir, 'checkpoint.txt'), `${report.checkpointLine!.replace(/kept=\S+/, 'kept=-')}\n`);
    const bad = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'station.pub.pem', '-rawin', '-in', 'checkpoint.txt', '-sigfile', 'checkpoint.sig'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/Signature Verification Failure/);
  });

  it('a second compaction finds nothing and signs no checkpoint', () => {
    const r = cli('compact', '--data', dataDir, '--no-vacuum');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^compacted\t0 segment rows/);
    expect(r.stdout).toMatch(/checkpoint\tnone signed/);
  });

  it('a tampered checkpoint fails the chain check, and the station then seals nothing', async () => {
    const db = openDatabase(dbFile);
    const cp = latestCheckpoint(db)!;
    try {
      // Claim the protected clip's run was never kept, as someone hiding its removal would.
      db.prepare("UPDATE chain_checkpoints SET line = ?, kept = '-' WHERE n = ?").run(cp.storedLine.replace(/kept=\S+/, 'kept=-'), cp.n);
      expect(checkStoredChain(db, keys.publicKey)).toMatch(/checkpoint 1 does not match its hash/);
    } finally {
      db.close();
    }
    await expect(seal(oldProtected().id, 'protected-tampered')).rejects.toThrow(/evidence chain is broken.*checkpoint 1/);
    await expect(seal(recent().id, 'recent-tampered')).rejects.toThrow(/evidence chain is broken.*checkpoint 1/);
  });
});
