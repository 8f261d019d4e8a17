/**
 * A clip's claims travel in its evidence bundle: the buyer's photos as received and one
 * JSON of what the station read in them, listed in the signed manifest, so `packwitness verify`
 * proves them unchanged and names the one that was changed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Claim, Clip, ScanResponse, routes } from '../../shared/api.js';
import { AIGC_LABEL, closeFixtureTool, jpegWithAigcXmpAttribute, pngWithText } from '../helpers/claim-fixtures.js';
import { readManifest, sha256 } from '../helpers/evidence-bundle.js';
import { cliPath, repoRoot, startStation, tempDataDir, waitFor, type StationProcess } from '../helpers/station-process.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000, env: { ...process.env, PACKWITNESS_TRUSTED_KEYS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the claim in the export bundle', () => {
  let station: StationProcess | undefined;
  let dataDir: string;
  let clipId: number;
  let fingerprint: string;
  let claim: Claim;
  const dir = tempDataDir('pw-claim-bundle-');

  beforeAll(async () => {
    station = await startStation();
    dataDir = station.dataDir;
    await sleep(2_000);
    const scan = async (code: string) =>
      ScanResponse.parse(await (await station!.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    clipId = (await scan('SF9988776655443')).id!;
    await sleep(2_500);
    await scan('PW-STOP');
    await waitFor(async () => Clip.parse(await (await station!.api(routes.clip(clipId))).json()).video ?? undefined, 30_000, 'the clip video');
    fingerprint = ((await (await station.api(routes.status)).json()) as { stationKey: { fingerprint: string } }).stationKey.fingerprint;

    await jpegWithAigcXmpAttribute(join(dir, 'ai.jpg'));
    await pngWithText(join(dir, 'sd.png'), { parameters: 'a broken vase, Steps: 20' });
    await closeFixtureTool();
    const form = new FormData();
    form.append('platform', 'Shopee');
    for (const n of ['ai.jpg', 'sd.png']) form.append('photo', new Blob([readFileSync(join(dir, n))]), n);
    const res = await station.api(routes.clipClaims(clipId), { method: 'POST', body: form, headers: { 'x-packwitness-actor': 'cs-li' } });
    expect(res.status, await res.clone().text()).toBe(201);
    claim = Claim.parse(await res.json());
    await station.stop();
    station = undefined;
  }, 120_000);
  afterAll(async () => {
    await station?.stop();
  });

  it('lists the photos and the findings JSON in the signed manifest, and verify proves them; a changed photo fails verify by name', () => {
    const out = join(dir, 'bundle');
    const r = cli(['export', '--data', dataDir, '--clip', String(clipId), '--out', out, '--no-sheet']);
    expect(r.status, r.stderr).toBe(0);

    const manifest = readManifest(out);
    const listed = (role: string) => manifest.files.filter((f) => f.role === role);
    expect(listed('claim-photo').map((f) => [f.path, f.sha256])).toEqual([
      [`claim-${claim.id}-photo-1.jpeg`, claim.files[0]!.sha256],
      [`claim-${claim.id}-photo-2.png`, claim.files[1]!.sha256],
    ]);
    expect(readFileSync(join(out, `claim-${claim.id}-photo-1.jpeg`)).equals(readFileSync(join(dir, 'ai.jpg')))).toBe(true);
    const [json] = listed('claim-findings');
    expect(json!.path).toBe(`claim-${claim.id}.json`);
    const body = readFileSync(join(out, json!.path));
    expect(sha256(body)).toBe(json!.sha256);
    const parsed = JSON.parse(body.toString('utf8')) as { format: string; claim: Record<string, unknown> & { files: Array<Claim['files'][number] & { inBundle: string | null }> } };
    expect(parsed.format).toBe('packwitness-claim/1');
    expect(parsed.claim).toMatchObject({ id: claim.id, clipId, platform: 'Shopee' });
    // Who added it stays in the station's audit log.
    expect(parsed.claim).not.toHaveProperty('actor');
    expect(parsed.claim.files.map((f) => [f.sha256, f.inBundle])).toEqual([
      [claim.files[0]!.sha256, `claim-${claim.id}-photo-1.jpeg`],
      [claim.files[1]!.sha256, `claim-${claim.id}-photo-2.png`],
    ]);
    expect(parsed.claim.files[0]!.findings.find((f) => f.kind === 'aigc-label')!.values).toMatchObject({ ProduceID: AIGC_LABEL.ProduceID });
    // The findings file keeps its format: kind, the statement in both languages, values (the UI's message form stays in the station).
    for (const f of parsed.claim.files[0]!.findings) expect(Object.keys(f).sort()).toEqual(['kind', 'statement', 'values']);

    const ok = cli(['verify', out, '--expect-fingerprint', fingerprint]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`claim-${claim.id}-photo-1.jpeg (claim-photo)`);
    expect(ok.stdout).toContain(`claim-${claim.id}.json (claim-findings)`);
    // The zip a merchant uploads carries them too.
    const zip = cli(['verify', `${out}.zip`, '--expect-fingerprint', fingerprint]);
    expect(zip.status, zip.stdout + zip.stderr).toBe(0);
    expect(zip.stdout).toContain(`claim-${claim.id}-photo-2.png (claim-photo)`);

    // Someone "improves" the buyer's photo in the bundle (same size: only the hash can tell).
    const changed = join(dir, 'changed');
    cpSync(out, changed, { recursive: true });
    const photo = join(changed, `claim-${claim.id}-photo-1.jpeg`);
    const bytes = readFileSync(photo);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(photo, bytes);
    const bad = cli(['verify', changed, '--expect-fingerprint', fingerprint]);
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toContain(`claim-${claim.id}-photo-1.jpeg (claim-photo) does not match manifest.json`);
  }, 120_000);
});
