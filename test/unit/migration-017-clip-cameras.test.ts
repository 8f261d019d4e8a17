import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../electron/station/catalog/database.js';
import { migrations } from '../../electron/station/catalog/migrations/index.js';
import { ClipCamerasRepo } from '../../electron/station/clips/clip-cameras.js';
import { ClipsRepo } from '../../electron/station/clips/clips-repo.js';

const dbFile = (): string => join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-db-')), 'packwitness.db');

describe('migration 017: the other cameras of a clip', () => {
  it('a clip from before lists only its main camera; another camera is named before it is cut and served once cut', () => {
    const file = dbFile();
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 16) });
    old.prepare("INSERT INTO clips (id, station, camera, mode, status, start_ms, end_ms, created_ms) VALUES (7, 'S', 'demo', 'pack', 'closed', 1000, 2000, 1000)").run();
    old.close();

    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 17) });
    expect(schemaVersion(db)).toBe(17);
    const clips = new ClipsRepo(db);
    const cams = new ClipCamerasRepo(db);
    expect(cams.list(clips.get(7)!, 'demo')).toEqual([{ id: 'demo', name: 'demo', main: true, hasVideo: false, bytes: null, sha256: null, durationMs: null, fps: null }]);

    cams.prepare(7, [{ id: 'demo-2', name: 'demo:320x240@15' }]);
    cams.prepare(7, [{ id: 'demo-2', name: 'renamed' }]); // a re-cut keeps the row
    expect(cams.has(7, 'demo-2')).toBe(true);
    expect(cams.videoFile(7, 'demo-2')).toBeNull();
    expect(cams.list(clips.get(7)!, 'demo')[1]).toMatchObject({ id: 'demo-2', name: 'demo:320x240@15', main: false, hasVideo: false });

    cams.setVideo(7, 'demo-2', { file: 'clips/x/7.demo-2.mp4', bytes: 10, sha256: 'ab', durationMs: 1000, fps: 15 });
    expect(cams.videoFile(7, 'demo-2')).toBe('clips/x/7.demo-2.mp4');
    expect(cams.files(7)).toEqual(['clips/x/7.demo-2.mp4']);
    expect(cams.list(clips.get(7)!, 'demo')[1]).toMatchObject({ hasVideo: true, bytes: 10, sha256: 'ab', durationMs: 1000, fps: 15 });
    // Retention's expiry of the clip covers every camera's video.
    db.prepare("UPDATE clips SET video_expired_ms = 5000, video_expired_reason = 'clip-age' WHERE id = 7").run();
    expect(cams.list(clips.get(7)!, 'demo').map((c) => c.hasVideo)).toEqual([false, false]);

    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT file FROM clip_cameras WHERE clip_id = ? AND camera = ?').all(7, 'x') as Array<{ detail: string }>).map((p) => p.detail).join('\n');
    expect(plan).toMatch(/PRIMARY KEY|autoindex/);
    db.close();
  });
});
