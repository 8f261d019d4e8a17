import { spawnSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { StatusResponse, routes } from '../../shared/api.js';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { EvidenceError, sealBundle, zipBundle } from '../../electron/station/evidence/bundle.js';
import { canonicalJson, Manifest } from '../../electron/station/evidence/manifest.js';
import { chainLine, checkStoredChain, entryHashOf, type ChainEntry } from '../../electron/station/evidence/segment-chain.js';
import { groupedFingerprint, loadOrCreateStationKeys, type StationKeys } from '../../electron/station/evidence/station-keys.js';
import { copyBundle, flipByte, ORDER, otherKeys, readManifest, recordClip, resign, sealRecordedClip, sha256, WAYBILL, type RecordedClip } from '../helpers/evidence-bundle.js';
import { cliPath, repoRoot, startStation, tempDataDir } from '../helpers/station-process.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** No trusted keys file unless a test writes one: the tester's own must not change the verdict. */
const noTrustedKeys = join(tempDataDir('pw-no-trust-'), 'trusted-keys.txt');

function verifyWith(env: NodeJS.ProcessEnv, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [cliPath, 'verify', ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PACKWITNESS_TRUSTED_KEYS: noTrustedKeys, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function verify(...args: string[]): CliResult {
  return verifyWith({}, ...args);
}

describe('evidence bundles of a real recording', () => {
  let rec: RecordedClip;
  let bundleDir: string;
  let stationKeys: StationKeys;

  beforeAll(async () => {
    rec = await recordClip();
    ({ bundleDir } = await sealRecordedClip(rec));
    stationKeys = loadOrCreateStationKeys(rec.dataDir);
  }, 90_000);

  it('holds the video, the sheet, the chain, the key, the checksums and the signed manifest', () => {
    expect(readdirSync(bundleDir).sort()).toEqual(['SHA256SUMS', 'chain.txt', 'clip.mp4', 'manifest.json', 'manifest.sig', 'sheet.png', 'station.pub.pem']);
    const raw = readFileSync(join(bundleDir, 'manifest.json'));
    const m = readManifest(bundleDir);
    expect(canonicalJson(JSON.parse(raw.toString('utf8')))).toEqual(raw); // canonical: re-serializing changes nothing
    expect(readFileSync(join(bundleDir, 'manifest.sig')).length).toBe(64);
    expect(m.clip.codes.map((c) => [c.code, c.kind])).toEqual([
      [ORDER, 'order'],
      [WAYBILL, 'waybill'],
    ]);
    expect(m.station).toMatchObject({ name: 'Station 1', fingerprint: rec.fingerprint });
    expect(m.segments.length).toBeGreaterThanOrEqual(3);
    expect(m.segments.every((s) => s.fileAtExport === 'matches')).toBe(true);
    expect(m.chain.entries.map((e) => e.seq)).toEqual(m.chain.entries.map((_, i) => m.chain.entries[0]!.seq + i));
    expect(m.files.map((f) => [f.path, f.role])).toEqual([
      ['clip.mp4', 'video'],
      ['sheet.png', 'sheet-png'],
      ['chain.txt', 'chain'],
      ['station.pub.pem', 'public-key'],
      ['SHA256SUMS', 'checksums'],
    ]);
    expect(m.clip.recordedVideo!.sha256).toBe(sha256(readFileSync(join(bundleDir, 'clip.mp4'))));
    expect(m.export).toEqual({ kind: 'original', note: 'test export' });
  });

  it('verifies a fresh bundle against the fingerprint the reader trusts: exit 0, VERIFIED, and what was proven', () => {
    const r = verify(bundleDir, '--expect-fingerprint', rec.fingerprint);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ORDER} (order), ${WAYBILL} (waybill)`);
    expect(r.stdout).toContain('Station "Station 1", camera demo');
    expect(r.stdout).toContain(groupedFingerprint(rec.fingerprint));
    expect(r.stdout).toContain('VERIFIED: every check passed, and the bundle is signed by the key you expected (--expect-fingerprint).');
    expect(r.stdout).toMatch(/5 files match the size and SHA-256 in the manifest: clip\.mp4 \(video\), sheet\.png \(sheet-png\)/);
    expect(r.stdout).toMatch(/Chain entries seq \d+–\d+ \(\d+\) are each signed by that same key/);
    expect(r.stdout).toMatch(/The clip's \d+ segments .* are each in the chain with the same size and SHA-256/);
    expect(r.stdout).toContain('byte-identical to the clip MP4 the station cut when it was recorded');
    expect(r.stdout).not.toContain('Whose key it is');
  });

  it('without a fingerprint to compare with, a consistent bundle is not VERIFIED: exit 3, its own headline, and how to check the key', () => {
    const r = verify(bundleDir);
    expect(r.code).toBe(3);
    expect(r.stdout).not.toMatch(/verified/i);
    expect(r.stdout).toContain('CONSISTENT, BUT THE SIGNING KEY WAS NOT CHECKED');
    expect(r.stdout).toContain('The bundle claims (consistent, but signed by a key you have not checked):');
    // The full fingerprint, grouped as the station's screens show it, to compare with one got elsewhere.
    expect(r.stdout).toContain(`Whose key it is: no fingerprint was given and there is no trusted keys file (${noTrustedKeys}). Compare the fingerprint ${groupedFingerprint(rec.fingerprint)} with one you got another way`);
    expect(r.stdout).toContain('never with the evidence sheet or anything else in this bundle');
    expect(r.stdout).not.toContain('the station key');
    expect(r.stderr).toBe(`packwitness: consistent, but the signing key was not checked (exit 3): pass --expect-fingerprint or list the key in ${noTrustedKeys}.\n`);
  });

  it('trusts the keys listed in the reader\'s trusted keys file, named or in its default place, and says which', () => {
    const dir = tempDataDir('pw-trust-');
    const file = join(dir, 'keys.txt');
    writeFileSync(file, `# fingerprints I got from the merchants\n${otherKeys().fingerprint}  Someone else\n${groupedFingerprint(rec.fingerprint)}  Shop A, bench 1\n`);
    const named = verify(bundleDir, '--trusted-keys', file);
    expect(named.code, named.stdout + named.stderr).toBe(0);
    expect(named.stdout).toContain('VERIFIED: every check passed, and the bundle is signed by "Shop A, bench 1" from your trusted keys.');
    expect(named.stdout).toContain(`That key is "Shop A, bench 1" in your trusted keys (${file}, line 3).`);

    // The per-user default: $XDG_CONFIG_HOME/PackWitness/trusted-keys.txt on Linux.
    const config = tempDataDir('pw-xdg-');
    mkdirSync(join(config, 'PackWitness'));
    copyFileSync(file, join(config, 'PackWitness', 'trusted-keys.txt'));
    const byDefault = verifyWith({ PACKWITNESS_TRUSTED_KEYS: '', XDG_CONFIG_HOME: config }, bundleDir, '--json');
    expect(byDefault.code).toBe(0);
    expect(JSON.parse(byDefault.stdout)).toMatchObject({ verdict: 'verified', ok: true, exitCode: 0, key: { fingerprint: rec.fingerprint, trustedBy: 'trusted-keys', label: 'Shop A, bench 1' } });

    // A key not on the list is not checked (exit 3), and the report says so.
    const others = join(dir, 'others.txt');
    writeFileSync(others, `${otherKeys().fingerprint} Someone else\n`);
    const unknown = verify(bundleDir, '--trusted-keys', others);
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toContain(`Whose key it is: it is not in your trusted keys (${others}).`);

    // A file that cannot be used is a usage error naming it; so is naming the key twice over.
    writeFileSync(join(dir, 'bad.txt'), `${rec.fingerprint}\n`);
    const bad = verify(bundleDir, '--trusted-keys', join(dir, 'bad.txt'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`packwitness: ${join(dir, 'bad.txt')} line 1 has a fingerprint but no label; add whose key it is after it (e.g. "Shop A, bench 1").\n`);
    expect(verify(bundleDir, '--trusted-keys', join(dir, 'missing.txt')).stderr).toMatch(/^packwitness: The trusted keys file .*missing\.txt cannot be read/);
    expect(verify(bundleDir, '--trusted-keys', join(dir, 'missing.txt')).code).toBe(2);
    const both = verify(bundleDir, '--trusted-keys', file, '--expect-fingerprint', rec.fingerprint);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one of them/);
  });

  it('documents its exit codes and the trusted keys file in --help', () => {
    const r = spawnSync(process.execPath, [cliPath, 'verify', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const line of [/^ {2}0 {2}VERIFIED: every check passed, and the bundle is signed by the key you expected/m, /^ {2}1 {2}NOT VERIFIED: a check failed, or the bundle holds files its manifest does not cover/m, /^ {2}2 {2}the command could not run/m, /^ {2}3 {2}consistent, but the signing key was not checked/m, /--trusted-keys <file>/, /Trusted keys file: one key a line/]) {
      expect(r.stdout).toMatch(line);
    }
  });

  it('checks the fingerprint when told which one to expect, in any spelling', () => {
    const ok = verify(bundleDir, '--expect-fingerprint', groupedFingerprint(rec.fingerprint).toUpperCase());
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('That key is the station key you expected');
    const wrong = verify(bundleDir, '--expect-fingerprint', otherKeys().fingerprint);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^packwitness: verification failed: The bundle is signed by the key with fingerprint [0-9a-f]{64}, not by the expected station key [0-9a-f]{64}\.\n$/);
  });

  it('reports as JSON for scripts, the verdict and its exit code as fields', () => {
    const r = verify(bundleDir, '--json', '--expect-fingerprint', rec.fingerprint);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; failure: null; clip: { codes: Array<{ code: string }>; fingerprint: string } };
    expect(report).toMatchObject({ verdict: 'verified', exitCode: 0, ok: true, failure: null, uncovered: [], key: { fingerprint: rec.fingerprint, trustedBy: 'expect-fingerprint' }, clip: { fingerprint: rec.fingerprint } });
    expect(report.clip.codes.map((c) => c.code)).toEqual([ORDER, WAYBILL]);
    const unchecked = verify(bundleDir, '--json');
    expect(unchecked.code).toBe(3);
    expect(JSON.parse(unchecked.stdout)).toMatchObject({ verdict: 'key-not-checked', exitCode: 3, ok: false, failure: null, key: { trustedBy: null } });
  });

  it('names a file in the bundle folder that the manifest does not cover, and does not call the bundle VERIFIED', () => {
    const dir = copyBundle(bundleDir, 'extra-video');
    mkdirSync(join(dir, 'more'));
    copyFileSync(join(dir, 'clip.mp4'), join(dir, 'more', 'clip-real.mp4'));
    writeFileSync(join(dir, 'README.txt'), 'the real video is more/clip-real.mp4\n');
    const r = verify(dir, '--expect-fingerprint', rec.fingerprint);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/^VERIFIED/m);
    expect(r.stderr).toContain(`also holds 2 files that manifest.json does not cover: README.txt, more/clip-real.mp4. Nothing proves them; only the files listed above are evidence.`);
    // What the manifest does cover was still proven, and says so.
    expect(r.stdout).toMatch(/✓ 5 files match the size and SHA-256 in the manifest/);
    expect(JSON.parse(verify(dir, '--json', '--expect-fingerprint', rec.fingerprint).stdout)).toMatchObject({ verdict: 'failed', exitCode: 1, uncovered: ['README.txt', 'more/clip-real.mp4'] });
  });

  it('fails, naming the video, when one byte of it is flipped', () => {
    const dir = copyBundle(bundleDir, 'flipped-video');
    flipByte(join(dir, 'clip.mp4'));
    const r = verify(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT VERIFIED');
    expect(r.stderr).toMatch(/clip\.mp4 \(video\) does not match manifest\.json: its SHA-256 is [0-9a-f]{64}, the signed one is [0-9a-f]{64}, so the file was changed\./);
  });

  it('fails on the signature when one manifest field is edited', () => {
    const dir = copyBundle(bundleDir, 'edited-manifest');
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const edited = text.replace(`"code": "${ORDER}"`, `"code": "${ORDER.slice(0, -1)}9"`);
    expect(edited).not.toBe(text);
    writeFileSync(join(dir, 'manifest.json'), edited);
    const r = verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/manifest\.sig is not a valid signature of manifest\.json by the key it names \(fingerprint [0-9a-f]{64}\): manifest\.json was changed after signing, or signed with another key\./);
  });

  it('fails when a chain entry is removed: on the signature, and on the chain even if signed again', () => {
    const m = readManifest(bundleDir);
    expect(m.chain.entries.length).toBeGreaterThanOrEqual(3);
    const victim = m.chain.entries[1]!.seq;
    const drop = (x: Manifest): void => {
      x.chain.entries = x.chain.entries.filter((e) => e.seq !== victim);
    };

    const unsigned = copyBundle(bundleDir, 'removed-entry');
    const mm = readManifest(unsigned);
    drop(mm);
    writeFileSync(join(unsigned, 'manifest.json'), canonicalJson(mm));
    writeFileSync(join(unsigned, 'chain.txt'), mm.chain.entries.map((e) => `${chainLine(e as ChainEntry)}\n`).join(''));
    expect(verify(unsigned).stderr).toMatch(/manifest\.sig is not a valid signature/);

    const resigned = copyBundle(bundleDir, 'removed-entry-resigned');
    resign(resigned, stationKeys, drop);
    const r = verify(resigned);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The chain has a hole: seq jumps from ${victim - 1} to ${victim + 1}, so an entry was removed.`);
  });

  it('fails when chain entries are reordered, even if signed again', () => {
    const dir = copyBundle(bundleDir, 'reordered');
    resign(dir, stationKeys, (m) => {
      const [a, b] = m.chain.entries.splice(1, 2);
      m.chain.entries.splice(1, 0, b!, a!);
    });
    const r = verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The chain is out of order: entry seq \d+ comes after seq \d+\./);
  });

  it('fails when signed with another key: the signature, the chain entries, or the expected fingerprint', () => {
    const forger = otherKeys();

    const swappedSig = copyBundle(bundleDir, 'other-key-sig');
    writeFileSync(join(swappedSig, 'manifest.sig'), sign(null, readFileSync(join(swappedSig, 'manifest.json')), forger.privateKey));
    expect(verify(swappedSig).stderr).toMatch(/manifest\.sig is not a valid signature of manifest\.json by the key it names/);

    // The forger swaps in their own key everywhere and signs the manifest: the chain entries still carry
    // the station's signatures.
    const swappedKey = copyBundle(bundleDir, 'other-key-manifest');
    writeFileSync(join(swappedKey, 'station.pub.pem'), forger.publicKeyPem);
    resign(swappedKey, forger, (m) => {
      m.station.publicKeyPem = forger.publicKeyPem;
      m.station.fingerprint = forger.fingerprint;
    });
    const r = verify(swappedKey);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Chain entry seq \d+ is not signed by the station key\./);

    // A complete forgery, chain entries re-signed too, is consistent in itself: only the fingerprint the
    // reader trusts tells it apart (the report says so when none is given).
    const forged = copyBundle(bundleDir, 'other-key-everything');
    writeFileSync(join(forged, 'station.pub.pem'), forger.publicKeyPem);
    resign(forged, forger, (m) => {
      m.station.publicKeyPem = forger.publicKeyPem;
      m.station.fingerprint = forger.fingerprint;
      for (const e of m.chain.entries) e.signature = sign(null, Buffer.from(`${chainLine(e as ChainEntry)}\n`), forger.privateKey).toString('hex');
    });
    const loose = verify(forged);
    expect(loose.code).toBe(3);
    expect(loose.stdout).not.toMatch(/verified/i);
    expect(loose.stdout).toContain(`Compare the fingerprint ${groupedFingerprint(forger.fingerprint)} with one you got another way`);
    const strict = verify(forged, '--expect-fingerprint', rec.fingerprint);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`The bundle is signed by the key with fingerprint ${forger.fingerprint}, not by the expected station key ${rec.fingerprint}.`);
  });

  it('fails when a listed file is missing', () => {
    const dir = copyBundle(bundleDir, 'missing-sheet');
    unlinkSync(join(dir, 'sheet.png'));
    const r = verify(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sheet.png (sheet-png) is listed in manifest.json but missing from the bundle.');
  });

  it('verifies the bundle as a zip, and fails a zip of a tampered bundle', async () => {
    const zip = join(tempDataDir('pw-zip-'), 'evidence.zip');
    await zipBundle(bundleDir, zip);
    const r = verify(zip, '--expect-fingerprint', rec.fingerprint);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VERIFIED');
    // One top folder named like the bundle folder, so unzipping gives that folder back.
    const zipFile = await yauzl.openPromise(zip, { lazyEntries: true });
    const names: string[] = [];
    for await (const e of zipFile.eachEntry()) names.push(e.fileName);
    zipFile.close();
    expect(names.sort()).toEqual(readdirSync(bundleDir).map((f) => `${basename(bundleDir)}/${f}`).sort());

    const dir = copyBundle(bundleDir, 'zip-flipped');
    flipByte(join(dir, 'clip.mp4'));
    const badZip = join(tempDataDir('pw-zip-'), 'tampered.zip');
    await zipBundle(dir, badZip);
    const bad = verify(badZip);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/clip\.mp4 \(video\) does not match manifest\.json/);

    const notZip = join(tempDataDir('pw-zip-'), 'broken.zip');
    writeFileSync(notZip, readFileSync(zip).subarray(0, 1000));
    const broken = verify(notZip);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.zip is not a readable zip/);
  });

  it('verifies a lone clip file against its manifest, and fails another video', () => {
    const dir = join(tempDataDir('pw-lone-'), 'sent-by-seller');
    mkdirSync(dir);
    for (const f of ['clip.mp4', 'manifest.json', 'manifest.sig']) copyFileSync(join(bundleDir, f), join(dir, f));
    const r = verify(join(dir, 'clip.mp4'), '--expect-fingerprint', rec.fingerprint);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The video clip.mp4 is byte-identical');
    expect(r.stdout).toContain('Files not given with the clip: sheet.png, chain.txt, station.pub.pem, SHA256SUMS.');

    const elsewhere = join(tempDataDir('pw-lone-'), 'renamed-order-video.mp4');
    copyFileSync(join(bundleDir, 'clip.mp4'), elsewhere);
    expect(verify(elsewhere, '--manifest', join(dir, 'manifest.json'), '--expect-fingerprint', rec.fingerprint).code).toBe(0);

    flipByte(elsewhere, 1000);
    const bad = verify(elsewhere, '--manifest', join(dir, 'manifest.json'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/renamed-order-video\.mp4 \(video\) does not match manifest\.json/);
  });

  it('exits 2 for usage errors, with one sentence', () => {
    const missing = verify(join(bundleDir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^packwitness: .*nope does not exist\.\n$/);
    const badFp = verify(bundleDir, '--expect-fingerprint', 'abc');
    expect(badFp.code).toBe(2);
    expect(badFp.stderr).toMatch(/--expect-fingerprint must be the 64 hex digits/);
    const lone = join(tempDataDir('pw-lone-'), 'only.mp4');
    copyFileSync(join(bundleDir, 'clip.mp4'), lone);
    const noManifest = verify(lone);
    expect(noManifest.code).toBe(2);
    expect(noManifest.stderr).toMatch(/there is no manifest\.json beside it/);
    expect(verify(bundleDir, '--no-such-option').code).toBe(2);
    expect(verify().code).toBe(2);
  });

  it('refuses to seal when the footage on disk or the chain in the database was tampered with', async () => {
    const copy = tempDataDir('pw-seal-');
    cpSync(rec.dataDir, copy, { recursive: true });
    rmSync(join(copy, 'station.lock'), { force: true });
    const keys = loadOrCreateStationKeys(copy);
    const db = openDatabase(join(copy, 'packwitness.db'));
    const out = tempDataDir('pw-seal-out-');
    copyFileSync(join(bundleDir, 'clip.mp4'), join(out, 'clip.mp4'));
    const seal = () => sealBundle({ db, dataDir: copy, clipId: rec.clipId, bundleDir: out, files: [{ path: 'clip.mp4', role: 'video' }], exportSettings: {}, keys });
    try {
      await expect(seal()).resolves.toMatchObject({ manifest: { clip: { id: rec.clipId } } });
      await expect(sealBundle({ db, dataDir: copy, clipId: 999_999, bundleDir: out, files: [{ path: 'clip.mp4', role: 'video' }], exportSettings: {}, keys })).rejects.toThrow('Clip 999999 does not exist.');
      await expect(sealBundle({ db, dataDir: copy, clipId: rec.clipId, bundleDir: out, files: [{ path: 'manifest.json', role: 'video' }], exportSettings: {}, keys })).rejects.toThrow(/is a name the bundle uses for itself/);

      const m = readManifest(out);
      const seg = m.segments[1]!;
      flipByte(join(copy, ...seg.file.split('/')));
      await expect(seal()).rejects.toThrow(new EvidenceError(`Segment file ${seg.file} no longer has the SHA-256 it was indexed with; the footage on disk was changed, so nothing was sealed.`));
      flipByte(join(copy, ...seg.file.split('/'))); // back as it was

      db.pragma('foreign_keys = OFF');
      db.prepare('DELETE FROM segment_chain WHERE seq = ?').run(seg.chainSeq);
      await expect(seal()).rejects.toThrow(/has no chain entry/);
    } finally {
      db.close();
    }
  });

  it('keeps the key and the chain across a restart, and refuses to start with a corrupt key', async () => {
    const keyFile = join(rec.dataDir, 'keys', 'station-ed25519.key');
    const before = readFileSync(keyFile);
    const station = await startStation({ dataDir: rec.dataDir });
    let status: StatusResponse;
    try {
      status = StatusResponse.parse(await (await station.api(routes.status)).json());
    } finally {
      await station.stop();
    }
    expect(status.stationKey).toMatchObject({ fingerprint: rec.fingerprint, fingerprintGrouped: groupedFingerprint(rec.fingerprint), publicKeyPem: stationKeys.publicKeyPem });
    expect(readFileSync(keyFile)).toEqual(before);
    const db = openDatabase(join(rec.dataDir, 'packwitness.db'), { readonly: true });
    try {
      // The second run's segments continue the first run's chain, every link and signature intact.
      expect(checkStoredChain(db, stationKeys.publicKey)).toBeNull();
      const runs = (db.prepare('SELECT count(DISTINCT s.run_id) AS n FROM segment_chain c JOIN segments s ON s.id = c.segment_id').get() as { n: number }).n;
      expect(runs).toBe(2);
      const first = db.prepare('SELECT line, entry_hash FROM segment_chain WHERE seq = 1').get() as { line: string; entry_hash: string };
      expect(entryHashOf(first.line)).toBe(first.entry_hash);
    } finally {
      db.close();
    }

    const broken = tempDataDir('pw-badkey-');
    mkdirSync(join(broken, 'keys'));
    writeFileSync(join(broken, 'keys', 'station-ed25519.key'), 'garbage\n', { mode: 0o600 });
    await expect(startStation({ dataDir: broken })).rejects.toThrow(/packwitness: The station's private key .*station-ed25519\.key cannot be read .* Restore it from a backup; PackWitness will not replace it/);
    expect(readFileSync(join(broken, 'keys', 'station-ed25519.key'), 'utf8')).toBe('garbage\n');
  }, 60_000);
});
