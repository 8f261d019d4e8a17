/**
 * docs/VERIFY.md tells a third party how to check a bundle with sha256sum and openssl only. This runs
 * exactly its ```sh blocks, in order, in a real bundle (every step passes) and in tampered copies
 * (the step meant to catch each tampering fails, and says FAILED).
 */
import { spawnSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBundle, flipByte, otherKeys, readManifest, recordClip, resign, sealRecordedClip, sha256, type RecordedClip } from '../helpers/evidence-bundle.js';
import { repoRoot } from '../helpers/station-process.js';
import { loadOrCreateStationKeys } from '../../electron/station/evidence/station-keys.js';

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

  beforeAll(async () => {
    rec = await recordClip();
    ({ bundleDir } = await sealRecordedClip(rec));
  }, 90_000);

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
    expect(results[3]!.output).toMatch(/^clip\.mp4: OK$/m);
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
    flipByte(join(dir, 'clip.mp4'));
    const results = runSteps(dir, rec.fingerprint);
    expect(failedSteps(results)).toEqual([4]);
    expect(results[3]!.output).toMatch(/^clip\.mp4: FAILED$/m);
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
    flipByte(join(dir, 'clip.mp4'));
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}(?= {2}clip\.mp4$)/m, sha256(readFileSync(join(dir, 'clip.mp4'))));
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
});
