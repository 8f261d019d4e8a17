import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const require = createRequire(import.meta.url);
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const dir = () => mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-native-'));

/**
 * The binding is set once per process (catalog/sqlite.ts), so each case loads the modules afresh, as
 * a new process would. A file that is not a valid binding must make every open fail naming that file:
 * an open that silently used node_modules' build instead is exactly the desktop app's bug.
 */
async function freshModules() {
  vi.resetModules();
  const sqlite = await import('../../electron/station/catalog/sqlite.js');
  const database = await import('../../electron/station/catalog/database.js');
  const move = await import('../../electron/station/storage/move-data.js');
  const migrations = await import('../../electron/station/catalog/migrations/index.js');
  return { ...sqlite, ...database, ...move, ...migrations };
}

function notABinding(d: string): string {
  const file = join(d, 'not-a-binding', 'better_sqlite3.node');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, 'this is not a shared library\n');
  return file;
}

describe('SQLite with the process binding (how the Electron shell loads its own better-sqlite3 build)', () => {
  beforeEach(() => vi.resetModules());

  it('the station database opens through the binding given, and fails naming it when it is not one', async () => {
    const m = await freshModules();
    const d = dir();
    const bad = notABinding(d);
    m.useSqliteBinding(bad);
    expect(() => m.openDatabase(join(d, 'a.db'))).toThrow(m.SqliteBindingError);
    expect(() => m.openDatabase(join(d, 'a.db'))).toThrow(bad);
    expect(existsSync(join(d, 'a.db'))).toBe(false);
  });

  it('the data-folder move opens the index through the same binding (it used node_modules\' build, so the desktop app could not move)', async () => {
    const good = await freshModules();
    const from = join(dir(), 'data');
    mkdirSync(from);
    good.openDatabase(join(from, 'packwitness.db')).close();
    const m = await freshModules();
    const bad = notABinding(dir());
    m.useSqliteBinding(bad);
    const to = join(dir(), 'moved');
    await expect(m.moveDataFolder(from, to)).rejects.toThrow(bad);
    // Nothing was lost: the source is whole and has no pointer.
    expect(existsSync(join(from, 'packwitness.db'))).toBe(true);
    expect(existsSync(join(from, 'MOVED-TO.json'))).toBe(false);
  });

  it('a real binding at another path is loaded from there and migrates as usual', async () => {
    const m = await freshModules();
    const d = dir();
    const binding = join(d, 'electron-native', 'better_sqlite3.node');
    mkdirSync(dirname(binding));
    copyFileSync(nodeBuild, binding);
    m.useSqliteBinding(binding);
    const db = m.openDatabase(join(d, 'a.db'));
    expect(m.schemaVersion(db)).toBe(m.migrations.at(-1)!.version);
    db.close();
    expect(require.cache[binding]).toBeDefined();
  });

  it('refuses a second, different binding in the same process', async () => {
    const m = await freshModules();
    const d = dir();
    m.useSqliteBinding(join(d, 'one.node'));
    expect(() => m.useSqliteBinding(join(d, 'two.node'))).toThrow(/already/);
  });
});
