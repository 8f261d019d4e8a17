import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/station/catalog/database.js';
import { stmt } from '../../electron/station/catalog/statements.js';

describe('stmt (prepared statements kept per connection)', () => {
  it('prepares a query once per connection and answers with it each time', () => {
    const a = openDatabase(':memory:');
    const b = openDatabase(':memory:');
    try {
      const sql = 'SELECT count(*) AS n FROM segments';
      const first = stmt(a, sql);
      expect(stmt(a, sql)).toBe(first);
      expect(stmt(b, sql)).not.toBe(first);
      expect(stmt(a, 'SELECT count(*) AS n FROM clips')).not.toBe(first);
      // A kept statement sees rows written after it was prepared.
      expect(first.get()).toEqual({ n: 0 });
      a.prepare("INSERT INTO runs (camera, dir, t0_ms, started_ms) VALUES ('c', 'd', 0, 0)").run();
      stmt(a, "INSERT INTO segments (run_id, camera, file, start_ms, end_ms, duration_ms, bytes, sha256, status, indexed_ms) VALUES (1, 'c', 'f', 0, 1, 1, 1, 'x', 'ok', 0)").run();
      expect(stmt(a, sql).get()).toEqual({ n: 1 });
      expect(stmt(b, sql).get()).toEqual({ n: 0 });
    } finally {
      a.close();
      b.close();
    }
  });
});
