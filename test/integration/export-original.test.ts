/**
 * Exports of a short real clip (the demo camera, ~9 s, well under 1 MB): the exported video is a file
 * of its own, never the station's clip file under a second name, and a clip that already fits a
 * preset's limits is exported as recorded, byte for byte. Through the CLI and the HTTP job API; every
 * bundle checked by `packwitness verify` against the station's fingerprint.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportJob, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import yauzl from 'yauzl';
import { ORDER, readManifest, recordClip, sha256, type RecordedClip } from '../helpers/evidence-bundle.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor } from '../helpers/station-process.js';

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
  /** The name a reviewer receives: `<order>_<YYYYMMDD-HHMM in station time>_clip-<id>`. */
  let base: string;
  const out = tempDataDir('pw-export-short-');

  beforeAll(async () => {
    rec = await recordClip();
    const db = openDatabase(join(rec.dataDir, 'packwitness.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT file, start_ms FROM clips WHERE id = ?').get(rec.clipId) as { file: string; start_ms: number };
      master = join(rec.dataDir, ...row.file.split('/'));
      const d = new Date(row.start_ms);
      const p = (n: number) => String(n).padStart(2, '0');
      base = `${ORDER}_${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}_clip-${rec.clipId}`;
    } finally {
      db.close();
    }
    masterBytes = readFileSync(master);
  }, 90_000);

  it('writes the original video as a file of its own: changing the export leaves the clip file, and its next export, untouched', () => {
    const first = cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out', join(out, 'first'), '--no-sheet']);
    expect(first.status, first.stderr).toBe(0);
    // A few seconds, well under 20 MB: no large-export warning.
    expect(first.stderr).not.toMatch(/warning/);
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

  it('exports a clip already under a 20 MB preset as recorded, byte for byte, and says so', () => {
    expect(masterBytes.length).toBeLessThan(20e6);
    const target = join(out, 'wechat');
    const r = cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out', target, '--preset', 'wechat-shop', '--no-sheet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^video\toriginal, already within 20 MB: the clip as recorded, byte for byte \(not re-encoded\)$/m);
    const video = exportedFile(r.stdout, 'video');
    expect(readFileSync(video).equals(masterBytes)).toBe(true);
    // The signed manifest says how it was made, and that it is the recording itself.
    const m = readManifest(target);
    expect(m.export).toMatchObject({ kind: 'original', preset: 'wechat-shop', withinLimits: { maxBytes: 20_000_000, maxSeconds: null } });
    expect(m.clip.recordedVideo!.sha256).toBe(sha256(masterBytes));
    const v = cli(['verify', target, '--json', '--expect-fingerprint', rec.fingerprint]);
    expect(v.status, v.stdout).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ verdict: 'verified', clip: { video: { identicalToRecording: true } } });
  }, 60_000);

  it('still fits a clip that is over a limit (here the length)', () => {
    const r = cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out', join(out, 'short'), '--preset', 'wechat-shop', '--max-seconds', '5', '--no-sheet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^video\tfit \d+x\d+ \d+ fps, \d+\.\d-\d+\.\d s$/m);
    expect(readFileSync(exportedFile(r.stdout, 'video')).equals(masterBytes)).toBe(false);
  }, 120_000);

  it('through the HTTP job API: the job says the original was kept within the limits, and the download is the clip', async () => {
    const station = await startStation({ dataDir: rec.dataDir });
    try {
      const res = await station.api(routes.clipExport(rec.clipId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'wechat-shop', sheet: false }) });
      expect(res.status).toBe(202);
      const job = ExportJob.parse(await res.json());
      const done = await waitFor(
        async () => {
          const j = ExportJob.parse(await (await station.api(routes.exportJob(job.id))).json());
          return j.state === 'queued' || j.state === 'running' ? undefined : j;
        },
        60_000,
        'the export job',
      );
      expect(done, done.error ?? '').toMatchObject({ state: 'done', plan: { kind: 'original', withinLimits: { maxBytes: 20_000_000, maxSeconds: null } } });
      const download = await station.api(routes.exportFile(job.id, 'video'));
      // Saved under the name a reviewer can place (order, time, clip), not clip-N.mp4 or evidence-sheet.pdf.
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename=${base}.mp4`);
      const video = Buffer.from(await download.arrayBuffer());
      expect(video.equals(masterBytes)).toBe(true);
      expect(done.files.map((f) => [f.role, f.name])).toEqual(
        expect.arrayContaining([
          ['video', `${base}.mp4`],
          ['how-to-verify', 'HOW-TO-VERIFY.txt'],
          ['zip', `${base}.zip`],
        ]),
      );
      expect((await station.api(routes.exportFile(job.id, 'zip'))).headers.get('content-disposition')).toBe(`attachment; filename=${base}.zip`);
      const howTo = await station.api(routes.exportFile(job.id, 'how-to-verify'));
      expect(howTo.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await howTo.text()).toContain(`packwitness verify ${base}.zip --expect-fingerprint FINGERPRINT`);
    } finally {
      await station.stop();
    }
  }, 90_000);

  it('names every file for the reviewer (order code, clip time, clip id) in the folder, the zip and its how-to-verify text', async () => {
    const dir = join(out, 'named');
    mkdirSync(dir);
    const r = cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out-dir', dir]);
    expect(r.status, r.stderr).toBe(0);
    const bundle = join(dir, base);
    expect(r.stdout).toContain(`bundle\t${bundle}\nzip\t${bundle}.zip\n`);
    expect(readdirSync(dir).sort()).toEqual([base, `${base}.zip`]);
    expect(readdirSync(bundle).sort()).toEqual(
      [`${base}.mp4`, `${base}_sheet.jpg`, `${base}_sheet.pdf`, `${base}_sheet.png`, 'HOW-TO-VERIFY.txt', 'SHA256SUMS', 'chain.txt', 'manifest.json', 'manifest.sig', 'station.pub.pem'].sort(),
    );
    // The zip unzips to the same folder, the how-to-verify text included, and it is all covered by the manifest.
    const zip = await yauzl.openPromise(`${bundle}.zip`, { lazyEntries: true });
    const names: string[] = [];
    for await (const e of zip.eachEntry()) names.push(e.fileName);
    zip.close();
    expect(names.sort()).toEqual(readdirSync(bundle).map((f) => `${base}/${f}`).sort());
    expect(readManifest(bundle).files.map((f) => f.path)).toContain('HOW-TO-VERIFY.txt');
    const v = cli(['verify', `${bundle}.zip`, '--json', '--expect-fingerprint', rec.fingerprint]);
    expect(v.status, v.stdout).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ verdict: 'verified', uncovered: [] });

    // The same export again into the same folder would take the same names: refused, nothing touched.
    const again = cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out-dir', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists; an export never overwrites evidence/);
    expect(readdirSync(dir).sort()).toEqual([base, `${base}.zip`]);
    // Where the bundle goes is said once.
    expect(cli(['export', '--data', rec.dataDir, '--clip', String(rec.clipId), '--out', join(out, 'x'), '--out-dir', dir]).stderr).toMatch(/--out PATH or --out-dir DIR \(one of them\)/);
  }, 120_000);
});
