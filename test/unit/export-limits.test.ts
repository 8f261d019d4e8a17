/**
 * The export janitor on real files and a real database with a clock the test sets, and the viewer's
 * export rate limit with a clock the test moves. End to end on a real station:
 * test/integration/export-limits.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { VIEWER_EXPORTS } from '../../electron/station/limits.js';
import { ExportRateLimit } from '../../electron/station/server/export-rate-limit.js';
import { expireExports, parseExportName } from '../../electron/station/storage/export-janitor.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 20, 12, 0, 0);

function dataDir(): string {
  return mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-exports-'));
}

/** A bundle as export-jobs.ts lays it out: the folder with a file in it, and its zip. */
function bundle(dir: string, clipId: number, atMs: number): string {
  const stamp = new Date(atMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const rel = `exports/${stamp.slice(0, 8)}/clip-${clipId}-${stamp}`;
  mkdirSync(join(dir, rel), { recursive: true });
  writeFileSync(join(dir, rel, 'video.mp4'), Buffer.alloc(1000));
  writeFileSync(join(dir, `${rel}.zip`), Buffer.alloc(500));
  return rel;
}

describe('the export janitor', () => {
  it('reads an export’s clip and time from its name, and nothing from any other name', () => {
    expect(parseExportName('clip-12-20261204T153340Z')).toEqual({ clipId: 12, madeMs: Date.UTC(2026, 11, 4, 15, 33, 40), base: 'clip-12-20261204T153340Z' });
    expect(parseExportName('clip-12-20261204T153340Z.zip')?.base).toBe('clip-12-20261204T153340Z');
    expect(parseExportName('clip-12-20261204T153340Z.partial')?.base).toBe('clip-12-20261204T153340Z');
    for (const other of ['clip-12-20261204T153340Z.txt', 'clip-x-20261204T153340Z', 'README.txt', 'clip-12-20261204.zip', 'myclip-12-20261204T153340Z']) expect(parseExportName(other), other).toBeNull();
  });

  it('deletes exports older than the setting, keeps a protected clip’s and the queue’s own, and touches nothing else', async () => {
    const dir = dataDir();
    const db = openDatabase(join(dir, 'packwitness.db'));
    const clip = db.prepare("INSERT INTO clips (id, station, camera, mode, status, start_ms, end_ms, created_ms, protected) VALUES (?, 'S', 'demo', 'pack', 'closed', 0, 1, 0, ?)");
    clip.run(1, 0);
    clip.run(2, 1);
    const expired = bundle(dir, 1, NOW - 15 * DAY);
    const justInside = bundle(dir, 1, NOW - 14 * DAY + 1000);
    const protectedOld = bundle(dir, 2, NOW - 40 * DAY);
    const busyOld = bundle(dir, 1, NOW - 20 * DAY);
    const noClipRow = bundle(dir, 99, NOW - 30 * DAY);
    const leftover = `${bundle(dir, 1, NOW - 16 * DAY)}.partial`;
    mkdirSync(join(dir, leftover));
    const strangers = ['exports/README.txt', `${expired.split('/').slice(0, 2).join('/')}/notes.txt`, `${expired}.txt`, 'exports/by-hand/clip-1-20200101T000000Z.zip', 'exports/2020/clip-1-20200101T000000Z.zip', 'clip-1-20200101T000000Z.zip'];
    for (const f of strangers) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'x');
    }
    let told: readonly string[] = [];

    const report = await expireExports({ db, dataDir: dir, keepDays: () => 14, busy: () => new Set([busyOld]), deleted: (b) => (told = b), now: () => NOW });

    const gone = [expired, noClipRow, leftover.replace(/\.partial$/, '')];
    expect(report.bundles.sort()).toEqual([...gone].sort());
    expect([...told].sort()).toEqual([...gone].sort());
    expect(report.bytes).toBe(2 * 1500 + 1000 + 500);
    expect(report.keptProtected).toBe(2); // the folder and the zip
    for (const rel of [expired, noClipRow]) {
      expect(existsSync(join(dir, rel)), rel).toBe(false);
      expect(existsSync(join(dir, `${rel}.zip`)), rel).toBe(false);
    }
    expect(existsSync(join(dir, leftover))).toBe(false);
    for (const rel of [justInside, protectedOld, busyOld]) {
      expect(existsSync(join(dir, rel)), rel).toBe(true);
      expect(existsSync(join(dir, `${rel}.zip`)), rel).toBe(true);
    }
    for (const f of strangers) expect(existsSync(join(dir, f)), f).toBe(true);
    // A day's folder left empty goes with its last export; one with anything else in it stays.
    expect(existsSync(join(dir, noClipRow.split('/').slice(0, 2).join('/')))).toBe(false);
    expect(existsSync(join(dir, expired.split('/').slice(0, 2).join('/')))).toBe(true);

    // A day later the one just inside the limit goes too.
    await expireExports({ db, dataDir: dir, keepDays: () => 14, busy: () => new Set(), now: () => NOW + DAY });
    expect(existsSync(join(dir, justInside))).toBe(false);
    expect(existsSync(join(dir, protectedOld))).toBe(true);
    db.close();
  });

  it('does nothing without an exports folder', async () => {
    const dir = dataDir();
    const db = openDatabase(join(dir, 'packwitness.db'));
    expect(await expireExports({ db, dataDir: dir, keepDays: () => 1, busy: () => new Set(), now: () => NOW })).toEqual({ bundles: [], bytes: 0, keptProtected: 0 });
    expect(readdirSync(dir).filter((f) => !f.startsWith('packwitness.db'))).toEqual([]);
    db.close();
  });
});

describe('the viewer export rate limit', () => {
  it(`allows ${VIEWER_EXPORTS.max} starts per address in a sliding hour; other addresses are apart`, () => {
    let now = 0;
    const limit = new ExportRateLimit(() => now);
    for (let i = 0; i < VIEWER_EXPORTS.max; i++) {
      expect(limit.retryAfterMs('10.0.0.5'), `start ${i + 1}`).toBe(0);
      limit.started('10.0.0.5');
      now += 60_000;
    }
    // The first start was VIEWER_EXPORTS.max minutes ago: it leaves the window that much later.
    expect(limit.retryAfterMs('10.0.0.5')).toBe(VIEWER_EXPORTS.windowMs - VIEWER_EXPORTS.max * 60_000);
    expect(limit.retryAfterMs('::ffff:10.0.0.5')).toBeGreaterThan(0);
    expect(limit.retryAfterMs('10.0.0.6')).toBe(0);
    now = VIEWER_EXPORTS.windowMs;
    expect(limit.retryAfterMs('10.0.0.5')).toBe(0);
    limit.started('10.0.0.5');
    expect(limit.retryAfterMs('10.0.0.5')).toBe(60_000);
  });
});
