import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';
import { ClipsRepo } from '../../electron/station/clips/clips-repo.js';
import { PackersRepo } from '../../electron/station/packers/packers-repo.js';

const dbFile = (): string => join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-db-')), 'packwitness.db');

describe('migration 015: packer names', () => {
  it('adds the packers table and the clip’s packer name; clips from before keep their badge as their name', () => {
    const file = dbFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 14) });
    old.prepare("INSERT INTO clips (id, station, camera, mode, status, start_ms, end_ms, created_ms, packer) VALUES (7, 'S', 'demo', 'pack', 'closed', 1000, 2000, 1000, 'PK-LI')").run();
    old.close();

    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 15) });
    expect(schemaVersion(db)).toBe(15);
    const clips = new ClipsRepo(db);
    expect(clips.get(7)).toMatchObject({ packer: 'PK-LI', packerName: 'PK-LI' });

    const packers = new PackersRepo(db);
    expect(packers.add('pk-li', '李四', 5)).toBe(true);
    expect(packers.add('PK-LI', '另一个', 6)).toBe(false);
    expect(packers.nameOf('pk-li')).toBe('李四');
    expect(packers.nameOf('PK-GHOST')).toBe('PK-GHOST');
    expect(packers.rename('PK-LI', '李小四', 9)).toBe(true);
    expect(packers.list()).toEqual([{ code: 'PK-LI', name: '李小四', createdAt: new Date(5).toISOString(), updatedAt: new Date(9).toISOString() }]);
    // A clip keeps the name it was packed under.
    clips.setPacker(7, 'PK-LI', '李四');
    expect(packers.remove('PK-LI')).toBe(true);
    expect(packers.remove('PK-LI')).toBe(false);
    expect(clips.get(7)).toMatchObject({ packer: 'PK-LI', packerName: '李四' });
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT name FROM packers WHERE code = ?').all('X') as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(plan).toMatch(/PRIMARY KEY|USING PRIMARY/);
    db.close();
  });
});
