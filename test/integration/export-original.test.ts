/**
 * Exports of a short real clip (the demo camera, ~9 s, well under 1 MB): the exported video is a file
 * of its own, never the station's clip file under a second name, and a clip that already fits a
 * preset's limits is exported as recorded, byte for byte. Through the CLI and the HTTP job API; every
 * bundle checked by `packwitness verify` against the station's fingerprint.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { recordClip, sha256, type RecordedClip } from '../helpers/evidence-bundle.js';
import { cliPath, repoRoot, tempDataDir } from '../helpers/station-process.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The exported file of `role`, from the `file\trole\tbytes\tsha256\tname` lines. */
function exportedFile(stdout: string, role: string): string {
  const bundle = /^bundle\t(.+)$/m.exec(stdout)![1]!;
  const line = stdout.split('\n').find((l) => l.startsWith(`file\t${role}\t`))!;
  return join(bundle, line.split('\t')[4]!);
}

describe('exporting a short clip', () => {
  let rec: RecordedClip;
  let master: string;
  let masterBytes: Buffer;
  const out = tempDataDir('pw-export-short-');

  beforeAll(async () => {
    rec = await recordClip();
    const db = openDatabase(join(rec.dataDir, 'packwitness.db'), { readonly: true });
    try {
      master = join(rec.dataDir, ...(db.prepare('SELECT file FROM clips WHERE id = ?').get(rec.clipId) as { file: string }).file.split('/'));
    } finally {
      db.close();
    }
    masterBytes = readFileSync(master);
  }, 90_000);

  it('writes the original video as a file of its own: changing the export leaves the clip file, and its next export, untouched', () => {
    const first = cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out', join(out, 'first'), '--no-sheet']);
    expect(first.status, first.stderr).toBe(0);
    const exported = exportedFile(first.stdout, 'video');
    expect(readFileSync(exported).equals(masterBytes)).toBe(true);
    const masterMode = statSync(master).mode & 0o777;

    // What a recipient's tool might do to the file it was given.
    chmodSync(exported, 0o666);
    appendFileSync(exported, Buffer.from('appended by an upload helper'));
    expect(statSync(master).mode & 0o777).toBe(masterMode);
    expect(masterMode & 0o222).toBe(0); // the clip file stays read-only
    expect(sha256(readFileSync(master))).toBe(sha256(masterBytes));
    expect(statSync(master).size).toBe(masterBytes.length);
    expect(statSync(master).nlink).toBe(1);
    expect(statSync(exported).ino).not.toBe(statSync(master).ino);

    // The next export of the same clip still passes its hash check and is the clip byte for byte.
    const second = cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out', join(out, 'second'), '--no-sheet']);
    expect(second.status, second.stderr).toBe(0);
    expect(readFileSync(exportedFile(second.stdout, 'video')).equals(masterBytes)).toBe(true);
  }, 60_000);
});
