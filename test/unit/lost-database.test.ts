import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseUnreadableError, openDatabase } from '../../electron/station/catalog/database.js';
import { DatabaseLostError, earlierLife, refuseNewDatabase } from '../../electron/station/catalog/lost-database.js';
import { localizedText } from '../../electron/station/localized-error.js';

const dir = (): string => mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-lost-'));

describe('what proves a data folder had an earlier station', () => {
  it('nothing in a new folder; the key, non-empty segment files, clip videos and backups each count', () => {
    const d = dir();
    expect(earlierLife(d)).toEqual([]);
    mkdirSync(join(d, 'runs', 'demo', '20261123T103800123Z'), { recursive: true });
    writeFileSync(join(d, 'runs', 'demo', '20261123T103800123Z', '000000.ts'), '');
    expect(earlierLife(d)).toEqual([]); // a zero-byte leftover proves nothing
    writeFileSync(join(d, 'runs', 'demo', '20261123T103800123Z', '000001.ts'), 'G');
    mkdirSync(join(d, 'keys'));
    writeFileSync(join(d, 'keys', 'station-ed25519.pub.pem'), 'pem');
    mkdirSync(join(d, 'clips', '2026-11-23'), { recursive: true });
    writeFileSync(join(d, 'clips', '2026-11-23', '7.mp4'), 'mp4');
    mkdirSync(join(d, 'backups'));
    writeFileSync(join(d, 'backups', '.partial-packwitness-20261123T103800123Z.db'), 'x');
    expect(earlierLife(d)).toEqual(['signing key', 'segment files', 'clip videos']);
    writeFileSync(join(d, 'backups', 'packwitness-20261123T103800123Z.db'), 'x');
    expect(earlierLife(d)).toEqual(['signing key', 'segment files', 'clip videos', 'database backups']);
  });

  it('a new database beside them is refused in both languages, before the file is created', () => {
    const d = dir();
    mkdirSync(join(d, 'keys'));
    writeFileSync(join(d, 'keys', 'station-ed25519.key'), 'k');
    const file = join(d, 'packwitness.db');
    let err: unknown;
    try {
      openDatabase(file, { whenNew: refuseNewDatabase(d, earlierLife(d)) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseLostError);
    expect((err as Error).message).toBe(
      `The database ${file} is missing or empty, but the folder holds an earlier station's signing key, so starting would begin a new, empty index beside them: run \`packwitness recover --data ${d}\` to rebuild it from the backups and the footage.`,
    );
    expect(localizedText(err)!['zh-CN']).toMatch(/^数据库 .*丢失或为空，但该文件夹中有之前工作站的签名密钥.*packwitness recover --data /);
    expect(() => openDatabase(file, { whenNew: refuseNewDatabase(d, []) }).close()).not.toThrow();
  });

  it('garbage bytes are one sentence naming recover, in both languages', () => {
    const d = dir();
    writeFileSync(join(d, 'packwitness.db'), Buffer.alloc(4096, 0x41));
    let err: unknown;
    try {
      openDatabase(join(d, 'packwitness.db'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseUnreadableError);
    expect((err as Error).message).toMatch(/cannot be read \(it is not a SQLite database\); stop the station and run `packwitness recover --data /);
    expect(localizedText(err)!['zh-CN']).toMatch(/不是 SQLite 数据库/);
  });
});
