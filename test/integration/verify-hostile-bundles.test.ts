/**
 * `packwitness verify` against bundles made to fool it or the person reading its output: a forged
 * manifest (signed with the forger's own key, so it gets as far as printing) whose strings carry
 * terminal escapes, and zips with two entries of one name, extra files, or sizes that lie. Real
 * recording, real CLI process; the zips are written by the test itself.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupedFingerprint, loadOrCreateStationKeys } from '../../electron/station/evidence/station-keys.js';
import { canonicalJson } from '../../electron/station/evidence/manifest.js';
import { sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { copyBundle, flipByte, forge, otherKeys, readManifest, recordClip, resign, sealRecordedClip, type RecordedClip } from '../helpers/evidence-bundle.js';
import { cliPath, repoRoot, tempDataDir } from '../helpers/station-process.js';
import { patchZipEntryName, patchZipEntrySize, writeZip, type ZipEntryInput } from '../helpers/zip-bundle.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const noTrustedKeys = join(tempDataDir('pw-no-trust-'), 'trusted-keys.txt');

function verify(...args: string[]): CliResult {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cliPath, 'verify', ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PACKWITNESS_TRUSTED_KEYS: noTrustedKeys } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Characters that must never reach the terminal raw from a bundle (newlines are checked by line). */
// eslint-disable-next-line no-control-regex -- what it looks for
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;

/** The bundle folder's files as zip entries under one top folder, as zipBundle lays them out. */
function entriesOf(dir: string, top = basename(dir)): ZipEntryInput[] {
  return ['SHA256SUMS', 'chain.txt', 'clip.mp4', 'manifest.json', 'manifest.sig', 'sheet.png', 'station.pub.pem'].map((f) => ({ name: `${top}/${f}`, data: readFileSync(join(dir, f)) }));
}

describe('verify and hostile bundles', () => {
  let rec: RecordedClip;
  let bundleDir: string;

  beforeAll(async () => {
    rec = await recordClip();
    ({ bundleDir } = await sealRecordedClip(rec));
  }, 90_000);

  describe('terminal injection', () => {
    const FAKE = 'VERIFIED: every check passed, and the bundle is signed by the key you expected (--expect-fingerprint).';
    const evilStation = `Station 1\x1b[2K\r${FAKE}\n\x1b[8m`;
    const evilCode = `\x1b[32mSF\u202E3210987654321\u202C\r\n${FAKE}`;
    const evilGap = `camera unplugged\u009b2J\u2066hidden\u2069\u200f\u061c\u2028`;

    it('a forged manifest signed with its own key prints its strings escaped, and the real verdict stands', () => {
      const dir = copyBundle(bundleDir, 'forged-escapes');
      forge(dir, otherKeys(), (m) => {
        m.station.name = evilStation;
        m.clip.codes[0]!.code = evilCode;
        m.clip.gaps.push({ startedAt: m.clip.startedAt, endedAt: m.clip.startedAt, reason: evilGap });
      });
      const r = verify(dir);
      // The bytes first: no escape, carriage return, C1 or bidi character, and no line the bundle started.
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      expect(r.stderr).not.toMatch(RAW_CONTROL);
      expect(r.stdout).not.toMatch(/^VERIFIED/m);
      expect(r.stdout.split('\n').filter((l) => l.includes(FAKE))).toEqual([
        expect.stringMatching(/^Clip \d+ \(pack, closed\): \\x1B\[32mSF\\u202E3210987654321\\u202C\\r\\nVERIFIED: every check passed/),
        `Station "Station 1\\x1B[2K\\r${FAKE}\\n\\x1B[8m", camera demo, recorded ${readManifest(dir).clip.startedAt} to ${readManifest(dir).clip.endedAt} (${((Date.parse(readManifest(dir).clip.endedAt) - Date.parse(readManifest(dir).clip.startedAt)) / 1000).toFixed(1)} s)`,
      ]);
      expect(r.stdout).toContain('camera unplugged\\x9B2J\\u2066hidden\\u2069\\u200F\\u061C\\u2028');
      // The real verdict, on a line of its own.
      expect(r.stdout).toMatch(/^CONSISTENT, BUT THE SIGNING KEY WAS NOT CHECKED: /m);
      expect(r.code).toBe(3);

      // JSON keeps the data exact for a script, and the terminal still sees no control character.
      const j = verify(dir, '--json');
      // eslint-disable-next-line no-control-regex -- what it looks for
      expect(j.stdout).not.toMatch(/[\u001b\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\r]/u);
      const report = JSON.parse(j.stdout) as { verdict: string; clip: { station: string; codes: Array<{ code: string }> } };
      expect(report.verdict).toBe('key-not-checked');
      expect(report.clip.station).toBe(evilStation);
      expect(report.clip.codes[0]!.code).toBe(evilCode);
    });

    it('a failure sentence that quotes a forged string is escaped too, on stdout and stderr', () => {
      const dir = copyBundle(bundleDir, 'forged-camera');
      const camera = 'demo\x1b]0;pwned\x07\rNOT A FAILURE';
      forge(dir, otherKeys(), (m) => {
        m.clip.camera = camera;
      });
      const r = verify(dir);
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      expect(r.stderr).not.toMatch(RAW_CONTROL);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^packwitness: verification failed: Segment \S+ comes from camera demo, not the clip's camera demo\\x1B\]0;pwned\\x07\\rNOT A FAILURE\.\n$/);
      expect(r.stdout).toMatch(/^NOT VERIFIED: Segment \S+ comes from camera demo, not the clip's camera demo\\x1B\]0;pwned\\x07\\rNOT A FAILURE\.$/m);
    });

    it('a zip entry named with escapes is named escaped', async () => {
      const zip = join(tempDataDir('pw-zip-'), 'named.zip');
      const top = basename(bundleDir);
      await writeZip(zip, [...entriesOf(bundleDir), { name: `${top}/\x1b[1A\x1b[2KVERIFIED\u202Evid.mp4`, data: Buffer.from('x') }]);
      const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      expect(r.stderr).not.toMatch(RAW_CONTROL);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`does not cover: ${top}/\\x1B[1A\\x1B[2KVERIFIED\\u202Evid.mp4.`);
    });
  });

  describe('zip tricks', () => {
    it('verifies the zip as exported (the baseline for the tricks below)', async () => {
      const zip = join(tempDataDir('pw-zip-'), 'good.zip');
      await writeZip(zip, entriesOf(bundleDir));
      const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    });

    it.each([
      ['the same name twice', (top: string) => `${top}/clip.mp4`, (top: string) => `"${top}/clip.mp4" twice`],
      ['a name differing only in case', (top: string) => `${top}/CLIP.mp4`, (top: string) => `"${top}/CLIP.mp4" and "${top}/clip.mp4"`],
      ['a name with a ./ part', (top: string) => `${top}/./clip.mp4`, (top: string) => `"${top}/./clip.mp4" and "${top}/clip.mp4"`],
      ['a name with the trailing dot Windows drops', (top: string) => `${top}/clip.mp4.`, (top: string) => `"${top}/clip.mp4." and "${top}/clip.mp4"`],
    ])('refuses a zip holding %s: which one a reader sees depends on the unzip tool', async (_what, firstName, named) => {
      // The first entry is a doctored video (what `unzip -n` would show); the real one comes last (what
      // a reader keeping the last entry would check).
      const top = basename(bundleDir);
      const doctored = readFileSync(join(bundleDir, 'clip.mp4'));
      const middle = Math.floor(doctored.length / 2);
      doctored.writeUInt8(doctored.readUInt8(middle) ^ 1, middle);
      const zip = join(tempDataDir('pw-zip-'), 'dup.zip');
      await writeZip(zip, [{ name: firstName(top), data: doctored }, ...entriesOf(bundleDir)]);
      const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toBe(
        `packwitness: verification failed: dup.zip holds two entries that unzip to the same file: ${named(top)}. Which one a reader sees depends on the unzip tool, so this zip proves nothing; ask the sender for the bundle as exported.\n`,
      );
      // Refused before the manifest is even read: no claim is printed.
      expect(r.stdout).not.toContain('The bundle claims');
    });

    it('refuses a name with a backslash, which Windows tools would unzip into the bundle folder', async () => {
      const top = basename(bundleDir);
      const zip = join(tempDataDir('pw-zip-'), 'backslash.zip');
      await writeZip(zip, [...entriesOf(bundleDir), { name: `${top}/real.mp4`, data: readFileSync(join(bundleDir, 'clip.mp4')) }]);
      patchZipEntryName(zip, `${top}/real.mp4`, `${top}\\real.mp4`);
      const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`packwitness: verification failed: backslash.zip is not a readable zip (invalid characters in fileName: ${top}\\real.mp4).\n`);
    });

    it('names every file the manifest does not cover, inside the bundle folder or beside it, as unproven', async () => {
      const top = basename(bundleDir);
      const clip = readFileSync(join(bundleDir, 'clip.mp4'));
      const zip = join(tempDataDir('pw-zip-'), 'extra.zip');
      await writeZip(zip, [...entriesOf(bundleDir), { name: `${top}/clip-uncut.mp4`, data: clip }, { name: 'real-video.mp4', data: clip }]);
      const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/^VERIFIED/m);
      expect(r.stdout).toMatch(/✓ 5 files match the size and SHA-256 in the manifest/);
      expect(r.stderr).toContain(`The zip extra.zip also holds 2 files that manifest.json does not cover: ${top}/clip-uncut.mp4, real-video.mp4. Nothing proves them; only the files listed above are evidence.`);
    });

    it('compares a 4 GiB declared size with the manifest before inflating anything', async () => {
      const top = basename(bundleDir);
      const zip = join(tempDataDir('pw-zip-'), 'huge.zip');
      // The real video, deflated, with zip64 sizes; then its central directory entry claims 4 GiB.
      await writeZip(zip, entriesOf(bundleDir).map((e) => (e.name.endsWith('/clip.mp4') ? { ...e, compress: true, zip64: true } : e)));
      const FOUR_GIB = 4 * 1024 ** 3;
      patchZipEntrySize(zip, `${top}/clip.mp4`, FOUR_GIB);
      expect(statSync(zip).size).toBeLessThan(50e6);
      const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
      expect(r.code).toBe(1);
      const bytes = readManifest(bundleDir).files.find((f) => f.role === 'video')!.bytes;
      expect(r.stderr).toBe(`packwitness: verification failed: clip.mp4 (video) is ${FOUR_GIB} bytes (as the zip declares it; nothing was unpacked), but manifest.json says ${bytes}: the file was changed.\n`);
    });

    it('stops an entry that inflates to more than it declares, even when the signed manifest declares the same', async () => {
      // Someone holding the key signs a manifest that gives the video a smaller size, and the zip's
      // central directory declares that size too: the sizes agree, the inflated data does not.
      const dir = copyBundle(bundleDir, 'short-declared');
      const keys = loadOrCreateStationKeys(rec.dataDir);
      const real = statSync(join(dir, 'clip.mp4')).size;
      const declared = real - 100_000;
      resign(dir, keys, () => undefined);
      const m = readManifest(dir);
      m.files.find((f) => f.role === 'video')!.bytes = declared;
      const manifest = canonicalJson(m);
      writeFileSync(join(dir, 'manifest.json'), manifest);
      writeFileSync(join(dir, 'manifest.sig'), sign(null, manifest, keys.privateKey));
      const zip = join(tempDataDir('pw-zip-'), 'bomb.zip');
      await writeZip(zip, entriesOf(dir).map((e) => (e.name.endsWith('/clip.mp4') ? { ...e, compress: true } : e)));
      patchZipEntrySize(zip, `${basename(dir)}/clip.mp4`, declared);
      const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^packwitness: verification failed: clip\\.mp4 in bomb\\.zip is damaged \\(too many bytes in the stream\\. expected ${declared}\\. got at least \\d+\\)\\.\\n$`));
    });

    it('still fails a doctored video inside an otherwise well-formed zip', async () => {
      const dir = copyBundle(bundleDir, 'zip-doctored');
      flipByte(join(dir, 'clip.mp4'));
      const zip = join(tempDataDir('pw-zip-'), 'doctored.zip');
      await writeZip(zip, entriesOf(dir));
      const r = verify(zip, '--expect-fingerprint', groupedFingerprint(rec.fingerprint));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/clip\.mp4 \(video\) does not match manifest\.json/);
    });
  });
});
