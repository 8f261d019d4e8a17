/**
 * Moving a real recorded data folder (real station, ffmpeg, SQLite, the built CLI) to a new place:
 * nothing lost, every file verified, evidence still verifies, and the old path still leads to the
 * footage. Every refusal leaves the source untouched.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipSearchResponse, routes, ScanResponse, StatusResponse } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { checkStoredChain } from '../../electron/station/evidence/segment-chain.js';
import { publicKeyFromPem } from '../../electron/station/evidence/station-keys.js';
import { moveDataFolder, MoveDataError, MOVE_MARKER, POINTER_FILE, PRECOPY_MANIFEST, precopySealedFiles, precopyUntilSettled, verifyCopy } from '../../electron/station/storage/move-data.js';
import { resolveDataDir } from '../../electron/station/data-dir.js';
import { sha256Of } from '../helpers/media.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WAYBILL = 'SF7700112233';

const RESERVE = 'disk-reserve.bin';

/** Every file under a folder, relative, with its size and mode; not the disk reserve, which a move leaves behind (the station writes it again). */
function tree(dir: string): Map<string, { size: number; mode: number; sha: string }> {
  const out = new Map<string, { size: number; mode: number; sha: string }>();
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      // SQLite's scratch files come and go with connections; the database itself is compared.
      else if (!/^packwitness\.db-(wal|shm)$/.test(r) && r !== RESERVE) {
        const s = statSync(join(d, e.name));
        out.set(r, { size: s.size, mode: s.mode & 0o777, sha: sha256Of(join(d, e.name)) });
      }
    }
  };
  walk(dir, '');
  return out;
}

function copyOf(src: string): string {
  const dst = tempDataDir('pw-move-src-');
  execFileSync('cp', ['-a', `${src}/.`, dst]);
  return dst;
}

describe('moving the data folder', () => {
  let recorded: string; // a stopped station's folder, never moved itself: each test moves a copy
  let running: StationProcess | null = null;

  beforeAll(async () => {
    const s = await startStation();
    running = s;
    const status = async () => StatusResponse.parse(await (await s.api(routes.status)).json());
    await waitFor(async () => ((await status()).segmentCount >= 2 ? true : undefined), 20_000, 'two segments');
    const scan = async (code: string) =>
      ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    expect((await scan(WAYBILL)).action).toBe('started');
    await sleep(3_000);
    expect((await scan('PW-STOP')).action).toBe('stopped');
    await waitFor(async () => ((await status()).segmentCount >= 5 ? true : undefined), 20_000, '~10 s of footage');

    // While it records, the folder cannot be moved, and the refusal touches nothing.
    const target = join(tempDataDir('pw-move-'), 'new');
    await expect(moveDataFolder(s.dataDir, target)).rejects.toThrow(/^A station is running on .*: stop it before moving its data folder\.$/);
    expect(existsSync(target)).toBe(false);

    expect(await s.stop()).toBe(0);
    running = null;
    recorded = s.dataDir;
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('moves everything verified, keeps read-only segments, and the old path leads a new station to its clips', async () => {
    const from = copyOf(recorded);
    const to = join(tempDataDir('pw-move-'), 'PackWitness');
    const before = tree(from);
    expect([...before.keys()].filter((f) => f.endsWith('.ts')).length).toBeGreaterThanOrEqual(5);
    expect(existsSync(join(from, RESERVE))).toBe(true);

    const r = spawnSync(process.execPath, [cliPath, 'move-data', '--data', from, '--to', to], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PACKWITNESS_LOG: 'warn' } });
    expect(r.stderr).toMatch(/copied and verified \d+\/\d+ files, [\d.]+\/[\d.]+ MB \(100 %\)/);
    expect(r.stderr).toMatch(/deleted from the old folder \d+\/\d+ files/);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^moved\\t${from}\\t${to}\\t${before.size} files\\t\\d+ bytes\\n$`));

    // The old folder holds only the pointer; the new one every file, byte for byte, mode for mode.
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
    expect(JSON.parse(readFileSync(join(from, POINTER_FILE), 'utf8'))).toMatchObject({ movedTo: to, from });
    const after = tree(to);
    expect(after).toEqual(before);
    expect(existsSync(join(to, RESERVE))).toBe(false); // not copied: 64 MB of zeros the station writes again
    const segFiles = [...after.entries()].filter(([f]) => f.endsWith('.ts'));
    for (const [, f] of segFiles) expect(f.mode).toBe(0o444);
    expect(after.get('keys/station-ed25519.key')!.mode).toBe(0o600);

    // The index's hashes and the evidence chain hold in the new place.
    let movedSegments = 0;
    const db = openDatabase(join(to, 'packwitness.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT file, sha256 FROM segments').all() as Array<{ file: string; sha256: string }>;
      expect(rows.length).toBeGreaterThanOrEqual(5);
      movedSegments = rows.length;
      for (const row of rows) expect(sha256Of(join(to, ...row.file.split('/'))), row.file).toBe(row.sha256);
      const key = publicKeyFromPem(readFileSync(join(to, 'keys', 'station-ed25519.pub.pem'), 'utf8'));
      expect(checkStoredChain(db, key.publicKey)).toBeNull();
    } finally {
      db.close();
    }

    // A station started on the OLD path follows the pointer, finds the clip and records into the new folder.
    expect(resolveDataDir(from)).toBe(to);
    const s = await startStation({ dataDir: from });
    running = s;
    try {
      expect(s.stderr()).toContain('the data folder was moved; using its new place');
      await waitFor(() => (existsSync(join(to, RESERVE)) ? true : undefined), 10_000, 'the disk reserve made again');
      const found = ClipSearchResponse.parse(await (await s.api(`${routes.clips}?q=112233`)).json());
      expect(found.items.map((c) => c.codes)).toEqual([[WAYBILL]]);
      expect(found.items[0]!.hasVideo).toBe(true);
      const video = await s.api(routes.clipVideo(found.items[0]!.id));
      expect(video.status).toBe(200);
      expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      await waitFor(async () => {
        const st = StatusResponse.parse(await (await s.api(routes.status)).json());
        return st.segmentCount > movedSegments ? true : undefined;
      }, 20_000, 'new segments');
    } finally {
      expect(await s.stop()).toBe(0);
      running = null;
    }
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
    const db2 = openDatabase(join(to, 'packwitness.db'), { readonly: true });
    try {
      const key = publicKeyFromPem(readFileSync(join(to, 'keys', 'station-ed25519.pub.pem'), 'utf8'));
      expect(checkStoredChain(db2, key.publicKey)).toBeNull();
    } finally {
      db2.close();
    }
  }, 120_000);

  it('a copy that does not match stops the move before anything is deleted; a re-run resumes and finishes', async () => {
    const from = copyOf(recorded);
    const to = join(tempDataDir('pw-move-'), 'new');
    const before = tree(from);
    let corrupted = '';
    await expect(
      moveDataFolder(from, to, {
        afterCopyForTest: (copy, rel) => {
          if (!corrupted && rel.endsWith('.ts')) {
            corrupted = rel;
            const b = readFileSync(copy);
            b.writeUInt8(b.readUInt8(b.length >> 1) ^ 0xff, b.length >> 1); // one flipped byte, as a failing disk would
            writeFileSync(copy, b);
          }
        },
      }),
    ).rejects.toThrow(/^The copy of runs\/.*\.ts in the new folder does not match the original \(SHA-256 [0-9a-f]{12}… instead of [0-9a-f]{12}…\); nothing was deleted\./);
    expect(tree(from)).toEqual(before);
    expect(existsSync(join(from, POINTER_FILE))).toBe(false);
    expect(existsSync(join(to, MOVE_MARKER))).toBe(true);
    expect(existsSync(join(from, 'station.lock'))).toBe(false);

    const progress: string[] = [];
    const report = await moveDataFolder(from, to, { onProgress: (p) => progress.push(`${p.phase} ${p.filesDone}/${p.filesTotal}`) });
    expect(report.resumedFiles).toBeGreaterThan(0); // the copies made before the bad one were kept
    expect(report.resumedFiles).toBeLessThan(before.size);
    expect(report.segmentsNotMatchingIndex).toEqual([]);
    expect(report.segmentsMatchingIndex).toBe([...before.keys()].filter((f) => f.startsWith('runs/') && f.endsWith('.ts')).length);
    expect(progress.at(-1)).toBe(`delete ${before.size}/${before.size}`);
    expect(tree(to)).toEqual(before);
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
  }, 60_000);

  it('a move interrupted while deleting the old files is finished by a re-run, which checks each copy first', async () => {
    const from = copyOf(recorded);
    const to = join(tempDataDir('pw-move-'), 'new');
    const before = tree(from);
    let deleted = 0;
    // An exception from the progress callback ends the move where a crash would: half the old files gone.
    await expect(
      moveDataFolder(from, to, {
        onProgress: (p) => {
          if (p.phase === 'delete' && ++deleted === Math.floor(p.filesTotal / 2)) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(existsSync(join(from, POINTER_FILE))).toBe(true);
    expect(resolveDataDir(from)).toBe(to); // a station started now already uses the complete new folder
    const left = tree(from);
    expect(left.size).toBeGreaterThan(1);
    expect(left.size).toBeLessThan(before.size);

    const report = await moveDataFolder(from, to);
    expect(report.files).toBe(left.size - 1); // what was left, less the pointer itself
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
    expect(tree(to)).toEqual(before);

    // Moved already: moving it elsewhere is refused, with the place it went.
    await expect(moveDataFolder(from, join(tempDataDir('pw-move-'), 'third'))).rejects.toThrow(`${from} was already moved to ${to}; move that folder instead.`);
  }, 60_000);

  it('a pre-copy takes only sealed files; the move trusts those unchanged and redoes or drops the rest', async () => {
    const from = copyOf(recorded);
    const to = join(tempDataDir('pw-move-'), 'new');
    const before = tree(from);
    const sealed = [...before].filter(([, f]) => (f.mode & 0o222) === 0).map(([rel]) => rel);
    const segments = sealed.filter((rel) => rel.endsWith('.ts'));
    expect(segments.length).toBeGreaterThanOrEqual(5);

    const progress: string[] = [];
    const pre = await precopySealedFiles(from, to, { onProgress: (p) => progress.push(`${p.phase} ${p.filesDone}/${p.filesTotal}`) });
    expect(pre.files).toBe(sealed.length);
    expect(progress[0]).toBe(`precopy 0/${sealed.length}`);
    expect(progress.at(-1)).toBe(`precopy ${sealed.length}/${sealed.length}`);
    for (const rel of sealed) expect(sha256Of(join(to, rel)), rel).toBe(before.get(rel)!.sha);
    expect(existsSync(join(to, 'packwitness.db'))).toBe(false); // not sealed: moved once the station stopped
    expect(tree(from)).toEqual(before);

    // Meanwhile: retention deletes one segment, another's source is touched, a third's copy is cut short.
    const [gone, touched, cut] = segments;
    chmodSync(join(from, gone!), 0o600);
    unlinkSync(join(from, gone!));
    utimesSync(join(from, touched!), new Date(), new Date());
    chmodSync(join(to, cut!), 0o600);
    truncateSync(join(to, cut!), 100);

    const report = await moveDataFolder(from, to);
    expect(report.precopiedFiles).toBe(sealed.length - 3);
    expect(report.resumedFiles).toBe(1); // the touched one: both read again, equal, kept
    expect(report.segmentsNotMatchingIndex).toEqual([]);
    expect(existsSync(join(to, gone!))).toBe(false);
    expect(existsSync(join(to, PRECOPY_MANIFEST))).toBe(false);
    expect(existsSync(join(to, MOVE_MARKER))).toBe(false);
    const expected = new Map(before);
    expected.delete(gone!);
    expect(tree(to)).toEqual(expected);
    expect(readdirSync(from)).toEqual([POINTER_FILE]);
  }, 60_000);

  it('copies in passes while recording goes on, until a pass copies little', async () => {
    const from = copyOf(recorded);
    const to = join(tempDataDir('pw-move-'), 'new');
    const passes: Array<[number, number]> = [];
    const r = await precopyUntilSettled(from, to, {
      settledBytes: 1500, // this folder's ~2 MB stand for months of footage
      onPass: (p) => {
        passes.push([p.pass, p.copiedFiles]);
        // What the station recorded during the first pass: the next pass copies it.
        if (p.pass === 1) {
          const seg = join(from, 'runs', 'later', 'seg-00000.ts');
          mkdirSync(join(from, 'runs', 'later'), { recursive: true });
          writeFileSync(seg, 'x'.repeat(1000));
          chmodSync(seg, 0o444);
        }
      },
    });
    expect(passes[0]![1]).toBe(r.files - 1);
    expect(passes.slice(1)).toEqual([[2, 1]]);
    expect(r).toMatchObject({ passes: 2, copiedFiles: 1, copiedBytes: 1000 });
    expect(readFileSync(join(to, 'runs', 'later', 'seg-00000.ts'), 'utf8')).toBe('x'.repeat(1000));
  }, 60_000);

  it('checks a copy against its source', async () => {
    const dir = tempDataDir('pw-verify-');
    writeFileSync(join(dir, 'a'), 'evidence');
    writeFileSync(join(dir, 'b'), 'evidencf');
    writeFileSync(join(dir, 'c'), 'evidence');
    await expect(verifyCopy(join(dir, 'a'), join(dir, 'c'))).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(verifyCopy(join(dir, 'a'), join(dir, 'b'))).rejects.toThrow(/does not match .*nothing was deleted/);
  });

  describe('refuses, in one sentence, and touches nothing', () => {
    let from: string;
    let before: Map<string, { size: number; mode: number; sha: string }>;
    beforeAll(() => {
      from = copyOf(recorded);
      before = tree(from);
    });
    const refused = async (to: string, message: RegExp) => {
      await expect(moveDataFolder(from, to)).rejects.toThrow(MoveDataError);
      await expect(moveDataFolder(from, to)).rejects.toThrow(message);
      expect(tree(from)).toEqual(before);
    };

    it('a target that is not empty', async () => {
      const to = tempDataDir('pw-move-busy-');
      writeFileSync(join(to, 'holiday.jpg'), 'x');
      await refused(to, /^The new folder .* is not empty; choose an empty or new folder\.$/);
      expect(readdirSync(to)).toEqual(['holiday.jpg']);
    });

    it('a target inside the data folder, or the data folder inside the target', async () => {
      await refused(join(from, 'runs', 'elsewhere'), /^The new folder .* is inside the current data folder .*; choose a folder outside it\.$/);
      expect(existsSync(join(from, 'runs', 'elsewhere'))).toBe(false);
      await refused(join(from, '..'), /^The current data folder .* is inside the new folder .*; choose a folder that does not contain it\.$/);
      await refused(from, /^The new folder is the same as the current one/);
    });

    it('a target that cannot be written (a file in the way: root ignores permissions)', async () => {
      const dir = tempDataDir('pw-move-file-');
      writeFileSync(join(dir, 'not-a-folder'), 'x');
      await refused(join(dir, 'not-a-folder', 'PackWitness'), /^The new folder .* is not writable \(ENOTDIR\); choose another folder or fix its permissions\.$/);
    });

    it('a target on a file system of the operating system (the old recursive mkdir of /proc/self/x never returned)', async () => {
      await refused('/proc/self/x/PackWitness', /^The new folder \/proc\/self\/x\/PackWitness is on \/proc, a file system of the operating system, not a disk; choose a folder on a disk\.$/);
      await refused('/sys/PackWitness', /^The new folder \/sys\/PackWitness is on \/sys, /);
    });

    it('a target on a read-only mount', async (ctx) => {
      const mnt = tempDataDir('pw-move-ro-');
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mnt]).status !== 0) ctx.skip(); // needs root with mount rights
      try {
        await refused(join(mnt, 'PackWitness'), /^The new folder .* is not writable \((EROFS|ENOENT)\)/);
      } finally {
        spawnSync('umount', [mnt]);
      }
    });

    it('a target without the space', async (ctx) => {
      const mnt = tempDataDir('pw-move-small-');
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]).status !== 0) ctx.skip(); // needs root with mount rights
      try {
        await refused(join(mnt, 'PackWitness'), /^Not enough free space in .*: the data folder needs \d+ MB \(with 68 MB spare\), only \d MB are free\.$/);
        expect(readdirSync(mnt)).toEqual([]);
      } finally {
        spawnSync('umount', [mnt]);
      }
    });

    it('a folder that is not a data folder', async () => {
      const empty = tempDataDir('pw-move-nodb-');
      await expect(moveDataFolder(empty, join(tempDataDir('pw-move-'), 'x'))).rejects.toThrow(/is not a PackWitness data folder \(it has no packwitness\.db\)\.$/);
    });

    it('the CLI says the sentence and exits 1', () => {
      const to = tempDataDir('pw-move-busy-');
      writeFileSync(join(to, 'x'), 'x');
      const r = spawnSync(process.execPath, [cliPath, 'move-data', '--data', from, '--to', to], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`packwitness: The new folder ${to} is not empty; choose an empty or new folder.\n`);
      expect(tree(from)).toEqual(before);
    });
  });
});

