/**
 * docs/VERIFY.md tells a third party how to check a bundle with sha256sum and openssl only. This runs
 * exactly its ```sh blocks, in order, in a real bundle as the exporter makes it (with the file names a
 * reviewer receives; every step passes) and in tampered copies (the step meant to catch each tampering
 * fails, and says FAILED). The HOW-TO-VERIFY.txt inside every bundle carries the same commands: they are
 * run from it too.
 */
import { spawnSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBundle, exportRecordedClip, flipByte, otherKeys, readManifest, recordClip, resign, sha256, type RecordedClip } from '../helpers/evidence-bundle.js';
import { cliPath, repoRoot } from '../helpers/station-process.js';
import { loadOrCreateStationKeys } from '../../electron/station/evidence/station-keys.js';
import { HOW_TO_VERIFY_FILE, howToVerifyCommands, VERIFY_STEPS } from '../../electron/station/evidence/how-to-verify.js';

interface Step {
  title: string;
  script: string;
}

/** Every ```sh block, with the heading it sits under. */
function docSteps(): Step[] {
  const md = readFileSync(join(repoRoot, 'docs', 'VERIFY.md'), 'utf8');
  const steps: Step[] = [];
  let title = '';
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) title = line.slice(3);
    if (line.trim() === '```sh') {
      const body: string[] = [];
      for (i++; lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
      steps.push({ title, script: `${body.join('\n')}\n` });
    }
  }
  return steps;
}

interface StepResult {
  title: string;
  code: number | null;
  output: string;
}

/** Run each step as its own shell, in the bundle folder, as a reader pasting them would. */
function runSteps(dir: string, fingerprint: string, shell = 'bash'): StepResult[] {
  return docSteps().map((s) => {
    const r = spawnSync(shell, ['-c', s.script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, EXPECTED_FINGERPRINT: fingerprint } });
    return { title: s.title, code: r.status, output: r.stdout + r.stderr };
  });
}

const failedSteps = (results: StepResult[]): number[] => results.flatMap((r, i) => (r.code === 0 ? [] : [i + 1]));

describe('docs/VERIFY.md, run as written', () => {
  let rec: RecordedClip;
  let bundleDir: string;
  /** The exported video's name, e.g. 123456789012345678_20261204-0912_clip-1.mp4. */
  let video: string;
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  beforeAll(async () => {
    rec = await recordClip();
    const exported = await exportRecordedClip(rec);
    bundleDir = exported.bundleDir;
    video = exported.files.find((f) => f.role === 'video')!.name;
  }, 120_000);

  it('has five steps that use only standard tools (sha256sum, openssl, and the shell)', () => {
    const steps = docSteps();
    expect(steps.map((s) => s.title)).toEqual([
      "Step 1: the key is the station's",
      'Step 2: the station signed manifest.json, unchanged',
      'Step 3: SHA256SUMS is the checksum list named in the signed manifest',
      'Step 4: every file is the one listed',
      'Step 5: the chain links without a break',
    ]);
    for (const s of steps) expect(s.script).not.toMatch(/\b(node|npx|packwitness|python3?|jq|xxd|perl)\b/);
  });

  it('sends the reader for the fingerprint outside the bundle, never to its own evidence sheet', () => {
    const md = readFileSync(join(repoRoot, 'docs', 'VERIFY.md'), 'utf8');
    const before = md.slice(md.indexOf('## Before you start'), md.indexOf('## Step 1'));
    expect(before).toContain('from somewhere other than this bundle');
    expect(before).toMatch(/status panel, settings screen and health page show the whole\s+fingerprint/);
    expect(before).not.toMatch(/printed on every evidence sheet/);
    // Wherever the sheet's fingerprint is mentioned, it is as the one not to compare with.
    expect(md).toMatch(/a copy that travels with the bundle: never the one to compare with/);
  });

  it.each(['bash', 'sh'])('passes every step on a good bundle (%s)', (shell) => {
    const results = runSteps(bundleDir, rec.fingerprint, shell);
    expect(failedSteps(results), JSON.stringify(results, null, 2)).toEqual([]);
    expect(results[0]!.output).toContain('OK: station.pub.pem has the expected fingerprint');
    expect(results[1]!.output).toContain('Signature Verified Successfully');
    expect(results[2]!.output).toContain('OK: SHA256SUMS is the list in the signed manifest');
    expect(results[3]!.output).toMatch(new RegExp(`^${escape(video)}: OK$`, 'm'));
    expect(results[3]!.output).toMatch(/^\S+_clip-\d+_sheet\.pdf: OK$/m);
    expect(results[3]!.output).toMatch(/^HOW-TO-VERIFY\.txt: OK$/m);
    expect(results[3]!.output).toMatch(/^chain\.txt: OK$/m);
    const m = readManifest(bundleDir);
    expect(results[4]!.output).toContain(`OK: ${m.chain.entries.length} chain entries link without a break; the last one's hash is ${m.chain.entries.at(-1)!.entryHash}`);
  });

  it('fails without the fingerprint to compare with', () => {
    const results = runSteps(bundleDir, '');
    expect(failedSteps(results)).toEqual([1]);
    expect(results[0]!.output).toMatch(/set EXPECTED_FINGERPRINT first/);
  });

  it('fails step 4 when one byte of the video is flipped', () => {
    const dir = copyBundle(bundleDir, 'doc-flipped');
    flipByte(join(dir, video));
    const results = runSteps(dir, rec.fingerprint);
    expect(failedSteps(results)).toEqual([4]);
    expect(results[3]!.output).toMatch(new RegExp(`^${escape(video)}: FAILED$`, 'm'));
  });

  it('fails step 2 when one manifest field is edited', () => {
    const dir = copyBundle(bundleDir, 'doc-edited');
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), text.replace(/"status": "closed"/, '"status": "cancelled"'));
    const results = runSteps(dir, rec.fingerprint);
    expect(failedSteps(results)).toEqual([2]);
    expect(results[1]!.output).toContain('Signature Verification Failure');
  });

  it('fails step 3 when the video and SHA256SUMS are both replaced', () => {
    const dir = copyBundle(bundleDir, 'doc-new-sums');
    flipByte(join(dir, video));
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').replace(new RegExp(`^[0-9a-f]{64}(?= {2}${escape(video)}$)`, 'm'), sha256(readFileSync(join(dir, video))));
    writeFileSync(join(dir, 'SHA256SUMS'), sums);
    const results = runSteps(dir, rec.fingerprint);
    expect(failedSteps(results)).toEqual([3]);
    expect(results[2]!.output).toContain('FAILED: SHA256SUMS is not the list the signed manifest names');
  });

  it('fails steps 4 and 5 when a chain entry is removed from chain.txt, or entries are reordered', () => {
    const removed = copyBundle(bundleDir, 'doc-chain-removed');
    const lines = readFileSync(join(removed, 'chain.txt'), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    writeFileSync(join(removed, 'chain.txt'), [lines[0], ...lines.slice(2)].map((l) => `${l}\n`).join(''));
    let results = runSteps(removed, rec.fingerprint);
    expect(failedSteps(results)).toEqual([4, 5]);
    expect(results[4]!.output).toMatch(/^FAILED: the chain breaks at: pwchain1 seq=\d+ prev=[0-9a-f]{64}$/m);

    const reordered = copyBundle(bundleDir, 'doc-chain-reordered');
    writeFileSync(join(reordered, 'chain.txt'), [lines[0], lines[2], lines[1], ...lines.slice(3)].map((l) => `${l}\n`).join(''));
    results = runSteps(reordered, rec.fingerprint);
    expect(failedSteps(results)).toEqual([4, 5]);
  });

  it('fails step 5 alone when a chain entry is removed and everything else is signed again with the station key', () => {
    const dir = copyBundle(bundleDir, 'doc-chain-resigned');
    const victim = readManifest(dir).chain.entries[1]!.seq;
    resign(dir, loadOrCreateStationKeys(rec.dataDir), (m) => {
      m.chain.entries = m.chain.entries.filter((e) => e.seq !== victim);
    });
    const results = runSteps(dir, rec.fingerprint);
    expect(failedSteps(results)).toEqual([5]);
    expect(results[4]!.output).toContain(`FAILED: the chain breaks at: pwchain1 seq=${victim + 1} `);
  });

  it('fails step 1 alone when the bundle is signed with another key', () => {
    const dir = copyBundle(bundleDir, 'doc-other-key');
    const forger = otherKeys();
    writeFileSync(join(dir, 'station.pub.pem'), forger.publicKeyPem);
    resign(dir, forger, (m) => {
      m.station.publicKeyPem = forger.publicKeyPem;
      m.station.fingerprint = forger.fingerprint;
    });
    const results = runSteps(dir, rec.fingerprint);
    expect(failedSteps(results)).toEqual([1]);
    expect(results[0]!.output).toContain(`FAILED: station.pub.pem is not the key with fingerprint ${rec.fingerprint}`);

    // Only the signature swapped, key left alone: step 2 catches it.
    const sigOnly = copyBundle(bundleDir, 'doc-other-sig');
    writeFileSync(join(sigOnly, 'manifest.sig'), sign(null, readFileSync(join(sigOnly, 'manifest.json')), forger.privateKey));
    expect(failedSteps(runSteps(sigOnly, rec.fingerprint))).toEqual([2]);
  });

  describe('HOW-TO-VERIFY.txt, in the bundle for whoever receives it', () => {
    const text = (dir: string): string => readFileSync(join(dir, HOW_TO_VERIFY_FILE), 'utf8');

    it('carries docs/VERIFY.md\'s five commands verbatim, and is listed and hashed in the signed manifest', () => {
      expect(VERIFY_STEPS).toEqual(docSteps().map((s) => s.script.replace(/\n$/, '')));
      const blocks = howToVerifyCommands(text(bundleDir));
      for (const step of VERIFY_STEPS) expect(blocks).toContain(step);
      const listed = readManifest(bundleDir).files.find((f) => f.path === HOW_TO_VERIFY_FILE);
      expect(listed).toMatchObject({ role: 'how-to-verify', sha256: sha256(readFileSync(join(bundleDir, HOW_TO_VERIFY_FILE))) });
      expect(readFileSync(join(bundleDir, 'SHA256SUMS'), 'utf8')).toContain(`  ${HOW_TO_VERIFY_FILE}\n`);
    });

    it('is in both languages, says where the fingerprint comes from, and never gives one', () => {
      const t = text(bundleDir);
      expect(t.charCodeAt(0)).toBe(0xfeff); // a BOM: old Windows Notepad reads the Chinese as UTF-8
      expect(t).toContain('\r\n');
      expect(t).toContain('如何验证本证据包');
      expect(t).toContain('How to verify this evidence bundle');
      expect(t).toContain('from somewhere other than\r\n   this bundle');
      expect(t).toContain('切勿使用本证据包里的任何内容');
      expect(t).not.toMatch(/[0-9a-f]{64}/i);
      expect(t).not.toContain(rec.fingerprint);
    });

    /** The txt's command blocks as a reader runs them: the fingerprint set first, each block in the bundle folder. */
    function runTxt(dir: string, fingerprint: string): StepResult[] {
      return howToVerifyCommands(text(dir))
        .filter((b) => !b.startsWith('EXPECTED_FINGERPRINT=') && !b.startsWith('packwitness '))
        .map((script) => {
          const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, EXPECTED_FINGERPRINT: fingerprint } });
          return { title: script.slice(0, 40), code: r.status, output: r.stdout + r.stderr };
        });
    }

    it('its shell steps pass in the bundle it came in, and catch a changed video', () => {
      const results = runTxt(bundleDir, rec.fingerprint);
      expect(results).toHaveLength(5);
      expect(failedSteps(results), JSON.stringify(results, null, 2)).toEqual([]);
      const dir = copyBundle(bundleDir, 'txt-flipped');
      flipByte(join(dir, video));
      expect(failedSteps(runTxt(dir, rec.fingerprint))).toEqual([4]);
    });

    it('its packwitness command, with the fingerprint put in, verifies the zip beside the folder', () => {
      const line = howToVerifyCommands(text(bundleDir)).find((b) => b.startsWith('packwitness verify '))!;
      expect(line).toBe(`packwitness verify ${basename(bundleDir)}.zip --expect-fingerprint FINGERPRINT`);
      const args = line.replace('FINGERPRINT', rec.fingerprint).split(' ').slice(1);
      const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: dirname(bundleDir), encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('VERIFIED');
    });
  });
});
