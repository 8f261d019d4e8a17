import { copyFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';

const require = createRequire(import.meta.url);
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const dir = () => mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-native-'));

describe('openDatabase with a nativeBinding (how the Electron shell loads its own better-sqlite3 build)', () => {
  it('loads better-sqlite3 from the given file and migrates as usual', () => {
    const d = dir();
    // Here the side-by-side build is a copy of Node's (Electron's ABI cannot be built offline); what
    // is proven is that the file given is the one loaded, not the one in node_modules.
    const binding = join(d, 'better_sqlite3.node');
    copyFileSync(nodeBuild, binding);
    const db = openDatabase(join(d, 'a.db'), { nativeBinding: binding });
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    db.close();
  });

  it('fails loudly when the given binding is missing, instead of silently using node_modules', () => {
    const d = dir();
    expect(() => openDatabase(join(d, 'a.db'), { nativeBinding: join(d, 'missing', 'better_sqlite3.node') })).toThrow(/Cannot find module|better_sqlite3\.node/);
  });
});
