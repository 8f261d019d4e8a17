import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashLogPath, readCrashLog, recordCrash } from '../../electron/station/crash-log.js';
import { CRASH_LOG } from '../../electron/station/limits.js';
import { accessFor, ROUTE_ACCESS } from '../../electron/station/server/access.js';
import { routes } from '../../shared/api.js';

const dir = () => mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-crash-'));

describe('the crash log', () => {
  it('appends one JSON line per crash under logs/, creating the folder, and reads them back newest first', () => {
    const d = dir();
    recordCrash(d, 'station', new TypeError('boom'));
    recordCrash(d, 'renderer', 'render process gone', { reason: 'crashed', exitCode: 139 });
    recordCrash(d, 'main', { weird: true });
    const lines = readFileSync(join(d, 'logs', 'crash.log'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const entries = readCrashLog(d, 10);
    expect(entries.map((e) => e.source)).toEqual(['main', 'renderer', 'station']);
    expect(entries[2]).toMatchObject({ source: 'station', message: 'TypeError: boom' });
    expect(entries[2]!.stack).toMatch(/TypeError: boom\n\s+at /);
    expect(entries[1]).toMatchObject({ message: 'render process gone', stack: null, details: { reason: 'crashed', exitCode: 139 } });
    expect(entries[0]!.message).toBe('{"weird":true}');
    expect(Date.parse(entries[0]!.at)).not.toBeNaN();
    expect(readCrashLog(d, 1).map((e) => e.source)).toEqual(['main']);
  });

  it('reads an empty list when nothing crashed, and skips a line torn by power loss', () => {
    const d = dir();
    expect(readCrashLog(d, 5)).toEqual([]);
    recordCrash(d, 'station', new Error('first'));
    appendFileSync(crashLogPath(d), '{"at":"2026-11-23T10:00:00.000Z","source":"sta');
    expect(readCrashLog(d, 5).map((e) => e.message)).toEqual(['Error: first']);
  });

  it('keeps one previous file when the log grows past its cap, so a crash loop cannot fill the disk', () => {
    const d = dir();
    recordCrash(d, 'station', new Error('old'));
    appendFileSync(crashLogPath(d), `${'x'.repeat(CRASH_LOG.maxBytes)}\n`);
    recordCrash(d, 'station', new Error('new'));
    expect(existsSync(`${crashLogPath(d)}.1`)).toBe(true);
    expect(statSync(crashLogPath(d)).size).toBeLessThan(CRASH_LOG.maxBytes);
    expect(readCrashLog(d, 5).map((e) => e.message)).toEqual(['Error: new']);
  });

  it('never throws, even when the log cannot be written', () => {
    const d = dir();
    writeFileSync(join(d, 'logs'), 'a file where the folder should be');
    expect(() => recordCrash(d, 'station', new Error('nowhere to go'))).not.toThrow();
  });

  it('is served to the operator only', () => {
    expect(ROUTE_ACCESS[`GET ${routes.crashLog}`]).toBe('operator');
    expect(accessFor('GET', routes.crashLog, routes.crashLog)).toBe('operator');
  });
});
