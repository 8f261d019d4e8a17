/**
 * The desktop shell itself, launched through Playwright's Electron support: the window opens on the
 * station screen, the tray says it records, the export IPC answers (save a copy; drag-out and show in
 * folder take their message), and quitting closes the clip in progress.
 *
 * It needs an Electron binary: the installed `electron` package's (downloaded from GitHub at install)
 * or an unpacked Electron named by ELECTRON_OVERRIDE_DIST_PATH. Without one it prints one line saying
 * why and skips: everything under the shell (electron/desktop/, the station core, the IPC's file
 * lookups) is tested without Electron elsewhere.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../electron/station/resources.js';
import { electronBinary } from '../helpers/electron-binary.js';
import { TEST_CAMERA, tempDataDir, waitFor } from '../helpers/station-process.js';

const binary = electronBinary();
if ('missing' in binary) console.log(`electron-shell e2e skipped: ${binary.missing}`);

type TrayShown = { icon: string; tooltip: string };

describe.skipIf('missing' in binary)('the desktop shell (real Electron)', () => {
  const dataDir = tempDataDir();
  let app: ElectronApplication;
  let page: Page;
  let clipId: number;

  /** A JSON call from the station page, with its own session (the READY link's cookie), as the UI makes it. */
  const call = async <T,>(path: string, body?: unknown): Promise<{ status: number; json: T }> =>
    page.evaluate(
      async ([p, b]) => {
        const res = await fetch(p as string, b === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
        return { status: res.status, json: (await res.json()) as T };
      },
      [path, body] as const,
    );

  beforeAll(async () => {
    // better-sqlite3 built for Electron's ABI (build/electron-native/), as `npm start` makes it.
    execFileSync(process.execPath, [join(appRoot(), 'dist', 'scripts', 'electron-native.js'), '--if-missing'], { stdio: 'inherit' });
    app = await _electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [appRoot()],
      env: { ...process.env, PACKWITNESS_DATA: dataDir, PACKWITNESS_CAMERA: TEST_CAMERA, PACKWITNESS_STATION: 'Shell E2E' },
      timeout: 60_000,
    });
    page = await app.firstWindow();
  }, 180_000);

  afterAll(async () => {
    // Normally closed by the last test; a failure before it must not leave Electron running.
    await app?.close().catch(() => undefined);
  });

  it('opens its window on the station screen', async () => {
    await page.locator('[data-testid="station-name"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="station-name"]').textContent()).toContain('Shell E2E');
    await page.locator('[data-testid="recording-indicator"][data-recording="true"]').waitFor({ timeout: 30_000 });
  });

  it('shows in the tray that it records', async () => {
    const shown = await waitFor(
      async () => {
        const s = await app.evaluate(() => (globalThis as { packwitnessTrayShown?: TrayShown }).packwitnessTrayShown ?? null);
        return s?.icon === 'tray-recording' ? s : undefined;
      },
      15_000,
      'the tray to show recording',
    );
    expect(shown.tooltip).toContain('Shell E2E');
  });

  it('answers the export IPC: a saved copy is the exported file, byte for byte', async () => {
    const scan = await call<{ clipId?: number }>('/api/scans', { code: 'SF1000200030004' });
    expect(scan.status).toBe(200);
    await page.waitForTimeout(2_500);
    await call('/api/scans', { code: 'PW-STOP' });
    const clips = await waitFor(
      async () => {
        const r = await call<{ items: Array<{ id: number; video: unknown }> }>('/api/clips?q=200030004');
        const c = r.json.items[0];
        return c?.video ? r.json.items : undefined;
      },
      30_000,
      'the clip to be cut',
    );
    clipId = clips[0]!.id;
    const started = await call<{ id: string }>(`/api/clips/${clipId}/export`, {});
    expect(started.status).toBe(202);
    const job = await waitFor(
      async () => {
        const j = (await call<{ state: string; files: Array<{ role: string; sha256: string }> }>(`/api/exports/${started.json.id}`)).json;
        return j.state === 'done' || j.state === 'failed' ? j : undefined;
      },
      60_000,
      'the export',
    );
    expect(job.state).toBe('done');

    // The save dialog is the system's: answered here with a path, as a person would pick one.
    const target = join(dataDir, 'saved-copy.mp4');
    await app.evaluate(({ dialog }, path) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog;
    }, target);
    const saved = await page.evaluate(([id]) => (window as unknown as { packwitnessShell: { saveAs: (j: string, r: string) => Promise<string | null> } }).packwitnessShell.saveAs(id!, 'video'), [started.json.id]);
    expect(saved).toBe(target);
    const video = job.files.find((f) => f.role === 'video')!;
    expect(createHash('sha256').update(readFileSync(target)).digest('hex')).toBe(video.sha256);
    // A role that is not a file kind gets nothing (the path comes from the job record, never the page).
    const refused = await page.evaluate(([id]) => (window as unknown as { packwitnessShell: { saveAs: (j: string, r: string) => Promise<string | null> } }).packwitnessShell.saveAs(id!, '../../etc/passwd'), [started.json.id]);
    expect(refused).toBeNull();
  }, 150_000);

  it('closes the clip in progress when it quits', async () => {
    const scan = await call('/api/scans', { code: 'SF5000600070008' });
    expect(scan.status).toBe(200);
    await page.locator('[data-testid="recording-indicator"][data-clip="open"]').waitFor({ timeout: 10_000 });
    await app.close();
    const db = new Database(join(dataDir, 'packwitness.db'), { readonly: true });
    try {
      // The newest clip is the one open at the quit.
      expect(db.prepare('SELECT status FROM clips ORDER BY id DESC LIMIT 1').get()).toEqual({ status: 'closed' });
      expect(db.prepare('SELECT COUNT(*) AS n FROM runs WHERE ended_ms IS NULL').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 60_000);
});
