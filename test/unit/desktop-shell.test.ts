import { describe, expect, it } from 'vitest';
import type { StatusResponse } from '../../shared/api.js';
import { appMenuTemplate, type MenuItemSpec } from '../../electron/desktop/app-menu.js';
import { parseBooleanSetting } from '../../electron/desktop/desktop-settings.js';
import { desktopLabels } from '../../electron/desktop/menu-labels.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashLogReport, createShutdown, type StopOutcome } from '../../electron/desktop/shutdown.js';
import { crashLogSummary } from '../../electron/station/crash-log.js';
import { trayState } from '../../electron/desktop/tray-state.js';

const status = (over: Partial<StatusResponse> & { state?: StatusResponse['camera']['state']; lastError?: string | null }): StatusResponse =>
  ({
    station: '打包台 1',
    recording: over.recording ?? false,
    camera: { id: 'demo', spec: 'demo', state: over.state ?? 'recording', pid: 1, restarts: 0, lastError: over.lastError ?? null, lastGap: null },
    activeCodes: over.activeCodes ?? [],
  }) as unknown as StatusResponse;

describe('the tray', () => {
  const en = desktopLabels('en-US');
  it('shows the red dot only while recording, with the active clip’s codes', () => {
    expect(trayState(status({ recording: true, activeCodes: ['SF123', 'ORDER-9'] }), en)).toEqual({ icon: 'tray-recording', tooltip: 'PackWitness — recording (打包台 1) · SF123 ORDER-9' });
    expect(trayState(status({ recording: true }), desktopLabels('zh-CN')).tooltip).toBe('PackWitness — 正在录像 (打包台 1)');
  });
  it('says why it is not recording, and that it is starting before the station answers', () => {
    expect(trayState(status({ recording: false, state: 'restarting', lastError: 'no frames from the camera for 5 s' }), en)).toEqual({
      icon: 'tray-idle',
      tooltip: 'PackWitness — NOT recording (restarting): no frames from the camera for 5 s',
    });
    expect(trayState(null, en)).toEqual({ icon: 'tray-idle', tooltip: 'PackWitness — starting' });
  });
});

describe('native menus', () => {
  const labels = (items: MenuItemSpec[]): string[] => items.map((i) => i.label ?? i.role ?? '-');
  it('are in Chinese for any zh locale and in English otherwise', () => {
    expect(desktopLabels('zh-CN').library).toBe('录像库');
    expect(desktopLabels('zh-TW').quit).toBe('退出打包见证');
    expect(desktopLabels('en-GB').library).toBe('Library');
    expect(desktopLabels('de').library).toBe('Library');
    expect(labels(appMenuTemplate(desktopLabels('zh-CN'), { fullScreen: false, openAtLogin: false, platform: 'win32' }))).toEqual(['打包见证', '编辑', '视图', '窗口', '帮助']);
  });
  it('offer the station, the library, full screen and start-on-login with their current state, then quit', () => {
    const [first] = appMenuTemplate(desktopLabels('en'), { fullScreen: true, openAtLogin: false, platform: 'win32' });
    expect(first!.submenu!.map((i) => [i.action ?? i.type, i.checked])).toEqual([
      ['show-station', undefined],
      ['show-library', undefined],
      ['separator', undefined],
      ['toggle-full-screen', true],
      ['toggle-open-at-login', false],
      ['separator', undefined],
      ['quit', undefined],
    ]);
  });
  it('follow macOS conventions there (hide/unhide in the app menu, Quit last)', () => {
    const [first] = appMenuTemplate(desktopLabels('en'), { fullScreen: false, openAtLogin: true, platform: 'darwin' });
    expect(first!.submenu!.map((i) => i.role ?? i.action ?? i.type)).toEqual(['show-station', 'show-library', 'separator', 'toggle-full-screen', 'toggle-open-at-login', 'separator', 'hide', 'unhide', 'separator', 'quit']);
  });
  it('every action has a label in both languages', () => {
    for (const locale of ['en', 'zh-CN']) {
      const all = appMenuTemplate(desktopLabels(locale), { fullScreen: false, openAtLogin: false, platform: 'linux' }).flatMap((m) => [m, ...(m.submenu ?? [])]);
      for (const i of all.filter((x) => x.action)) expect(i.label, `${locale} ${i.action}`).toMatch(/\S/);
    }
  });
});

describe('desktop settings', () => {
  it('are booleans, nothing else', () => {
    expect(parseBooleanSetting(true)).toBe(true);
    expect(() => parseBooleanSetting('yes')).toThrow(/expected true or false/);
  });
});

describe('shutting the station down on quit, logout or power-off', () => {
  it('stops once however many signals arrive, and reports the outcome once', async () => {
    let stops = 0;
    const reports: Array<[string, StopOutcome]> = [];
    let finish!: () => void;
    const shutdown = createShutdown(
      () => {
        stops++;
        return new Promise<void>((r) => (finish = r));
      },
      60_000,
      (reason, outcome) => reports.push([reason, outcome]),
    );
    expect(shutdown.started).toBe(false);
    const a = shutdown('quit');
    const b = shutdown('system shutdown');
    expect(shutdown.started).toBe(true);
    finish();
    expect(await a).toBe('stopped');
    expect(await b).toBe('stopped');
    expect(await shutdown('windows session end')).toBe('stopped');
    expect(stops).toBe(1);
    expect(reports).toEqual([['quit', 'stopped']]);
  });

  it('gives up at the cap on a stop that hangs, and reports a failed stop', async () => {
    const hung = createShutdown(() => new Promise<void>(() => undefined), 20, () => undefined);
    expect(await hung('quit')).toBe('timed-out');
    const errors: unknown[] = [];
    const failing = createShutdown(() => Promise.reject(new Error('db closed twice')), 60_000, (_r, _o, err) => errors.push(err));
    expect(await failing('quit')).toBe('failed');
    expect((errors[0] as Error).message).toBe('db closed twice');
  });

  it('a stop that outlasts its cap is one crash-log entry, however it ends later', async () => {
    for (const late of ['resolves', 'rejects'] as const) {
      const dir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-shutdown-'));
      let end!: () => void;
      const ended = new Promise<void>((r) => (end = r));
      const slow = createShutdown(
        () =>
          new Promise<void>((resolve, reject) =>
            setTimeout(() => {
              if (late === 'resolves') resolve();
              else reject(new Error('stopped too late and failed'));
              end();
            }, 60),
          ),
        10,
        crashLogReport(() => dir),
      );
      expect(await slow('quit')).toBe('timed-out');
      await ended;
      await new Promise((r) => setTimeout(r, 20));
      const log = crashLogSummary(dir);
      expect(log.total, late).toBe(1);
      expect(log.entries[0]!.details).toEqual({ reason: 'quit', outcome: 'timed-out' });
    }
  });
});
