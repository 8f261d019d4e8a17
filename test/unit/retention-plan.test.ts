import { describe, expect, it } from 'vitest';
import { planRetention, retentionLimitBytes, type PlanClip, type PlanInput, type PlanSegment } from '../../electron/station/storage/retention-plan.js';

const H = 3_600_000;
const D = 24 * H;
const GB = 1e9;
const NOW = Date.UTC(2026, 10, 23, 12);
const settings = { keepClipsDays: 90, keepOrphanHours: 24, minFreeGb: 10, minFreePercent: 10, keepExportsDays: 14, waitForHubCopy: true };

/** A segment of 2 s ending `agoMs` before NOW, 1 MB. */
function seg(id: number, agoMs: number, bytes = 1_000_000): PlanSegment {
  return { id, camera: 'demo', startMs: NOW - agoMs - 2_000, endMs: NOW - agoMs, bytes };
}
/** A clip covering [start, end] given as "ago"; end null = recording. */
function clip(id: number, startAgo: number, endAgo: number | null, extra: Partial<PlanClip> = {}): PlanClip {
  return { id, camera: 'demo', startMs: NOW - startAgo, endMs: endAgo === null ? null : NOW - endAgo, protected: false, fileBytes: 5_000_000, ...extra };
}
function plan(over: Partial<PlanInput>) {
  return planRetention({ nowMs: NOW, settings, preRollMs: 3_000, recentSlackMs: 10_000, disk: { freeBytes: 500 * GB, totalBytes: 1000 * GB }, segments: [], clips: [], ...over });
}
const ids = (xs: Array<{ id: number }>): number[] => xs.map((x) => x.id).sort((a, b) => a - b);

describe('retention limit', () => {
  it('is the larger of minFreeGb and minFreePercent of the volume', () => {
    expect(retentionLimitBytes(settings, 50 * GB)).toBe(10 * GB);
    expect(retentionLimitBytes(settings, 1000 * GB)).toBe(100 * GB);
    expect(retentionLimitBytes({ ...settings, minFreeGb: 0, minFreePercent: 0 }, 1000 * GB)).toBe(0);
  });
});

describe('retention plan', () => {
  it('age: an unprotected clip older than keepClipsDays expires with its footage; a younger one stays', () => {
    const p = plan({
      clips: [clip(1, 91 * D, 91 * D - 10_000), clip(2, 89 * D, 89 * D - 10_000)],
      segments: [seg(10, 91 * D - 2_000), seg(11, 91 * D - 8_000), seg(20, 89 * D - 4_000)],
    });
    expect(p.state).toBe('ok');
    expect(p.expireClips).toEqual([{ id: 1, reason: 'clip-age' }]);
    expect(ids(p.deleteSegments)).toEqual([10, 11]);
    expect(p.plannedBytes).toBe(5_000_000 + 2_000_000);
  });

  it('age: a protected clip never expires, and its footage stays', () => {
    const p = plan({ clips: [clip(1, 400 * D, 400 * D - 10_000, { protected: true })], segments: [seg(10, 400 * D - 4_000)] });
    expect(p.expireClips).toEqual([]);
    expect(p.deleteSegments).toEqual([]);
  });

  it('age: footage shared with a younger clip stays until that clip expires too', () => {
    // Clip 1 (old) ends inside segment 10, where clip 2 (young, same camera) starts.
    const p = plan({
      clips: [clip(1, 91 * D, 91 * D - 5_000), clip(2, 91 * D - 5_500, 51 * D)],
      segments: [seg(9, 91 * D - 2_000), seg(10, 91 * D - 6_500)],
    });
    expect(ids(p.expireClips)).toEqual([1]);
    expect(ids(p.deleteSegments)).toEqual([9]);
  });

  it('orphan footage: deleted after keepOrphanHours, kept before', () => {
    const p = plan({ segments: [seg(1, 25 * H), seg(2, 23 * H)] });
    expect(p.deleteSegments).toEqual([{ id: 1, reason: 'orphan-age' }]);
  });

  it("another camera's footage of a clip's time belongs to the clip (a clip covers every camera)", () => {
    const p = plan({ clips: [clip(1, 30 * H, 30 * H - 60_000)], segments: [{ ...seg(1, 30 * H - 10_000), camera: 'cam2' }, { ...seg(2, 30 * H - 120_000), camera: 'cam2' }] });
    expect(p.deleteSegments).toEqual([{ id: 2, reason: 'orphan-age' }]);
  });

  it('the recording clip holds its footage, however old its start', () => {
    const p = plan({ clips: [clip(1, 30 * H, null)], segments: [seg(1, 30 * H - 10_000)], disk: { freeBytes: 0, totalBytes: 1000 * GB } });
    expect(p.expireClips).toEqual([]);
    expect(p.deleteSegments).toEqual([]);
    expect(p.state).toBe('protected-only');
  });

  it('pressure: deletes oldest first, clips and orphan footage alike, and stops at the limit', () => {
    // Limit 10 GB on a 50 GB volume; free 10 GB - 6 MB: needs 6 MB.
    const p = plan({
      disk: { freeBytes: 10 * GB - 6_000_000, totalBytes: 50 * GB },
      segments: [seg(1, 10 * H, 3_000_000), seg(2, 9 * H, 3_000_000), seg(3, 8 * H, 3_000_000), seg(4, 5 * D - 5_000), seg(5, 1 * H)],
      clips: [clip(7, 5 * D, 5 * D - 10_000, { fileBytes: 1_000_000 })],
    });
    // Oldest is clip 7 (5 days: MP4 1 MB + segment 4, 1 MB), then orphan 1 (3 MB), then orphan 2 (3 MB) passes the limit.
    expect(p.expireClips).toEqual([{ id: 7, reason: 'disk-pressure' }]);
    expect(p.deleteSegments).toEqual([
      { id: 4, reason: 'disk-pressure' },
      { id: 1, reason: 'disk-pressure' },
      { id: 2, reason: 'disk-pressure' },
    ]);
    expect(p.state).toBe('pressure');
  });

  it('pressure: never the pre-roll window (plus slack), never a protected clip', () => {
    const p = plan({
      disk: { freeBytes: 0, totalBytes: 50 * GB },
      clips: [clip(1, 2 * D, 2 * D - 10_000, { protected: true })],
      segments: [seg(1, 2 * D - 4_000), seg(2, 12_000), seg(3, 14_000)],
    });
    expect(p.expireClips).toEqual([]);
    // Segment 2 ends 12 s ago, inside 3 s pre-roll + 10 s slack; segment 3 ends 14 s ago: outside.
    expect(p.deleteSegments).toEqual([{ id: 3, reason: 'disk-pressure' }]);
    expect(p.state).toBe('protected-only');
  });

  it('with a headroom: starts before the limit and frees two headrooms above it, so recording never crosses it', () => {
    // Limit 10 GB on a 50 GB volume, headroom 1 GB. Free 10.5 GB: inside the headroom, so pressure.
    const segments = [seg(1, 10 * H, 1 * GB), seg(2, 9 * H, 1 * GB), seg(3, 8 * H, 1 * GB), seg(4, 7 * H, 1 * GB)];
    const p = plan({ headroomBytes: 1 * GB, disk: { freeBytes: 10.5 * GB, totalBytes: 50 * GB }, segments });
    expect(p.state).toBe('pressure');
    // 10.5 → 11.5 → 12.5 (≥ 10 + 2 × 1): two segments, oldest first.
    expect(p.deleteSegments).toEqual([
      { id: 1, reason: 'disk-pressure' },
      { id: 2, reason: 'disk-pressure' },
    ]);
    // Above limit + headroom: nothing to do.
    expect(plan({ headroomBytes: 1 * GB, disk: { freeBytes: 11.1 * GB, totalBytes: 50 * GB }, segments })).toMatchObject({ state: 'ok', deleteSegments: [] });
    // Everything gone and still under limit + 2 headrooms but above the limit: pressure, not protected-only.
    expect(plan({ headroomBytes: 1 * GB, disk: { freeBytes: 7.5 * GB, totalBytes: 50 * GB }, segments }).state).toBe('pressure');
    expect(plan({ headroomBytes: 1 * GB, disk: { freeBytes: 5.5 * GB, totalBytes: 50 * GB }, segments }).state).toBe('protected-only');
  });

  it('protected-only only when everything deletable is not enough', () => {
    const base = { clips: [clip(1, 2 * D, 2 * D - 10_000, { protected: true, fileBytes: 8 * GB })], segments: [seg(2, 3 * H, 2 * GB)] };
    expect(plan({ ...base, disk: { freeBytes: 9 * GB, totalBytes: 50 * GB } }).state).toBe('pressure');
    expect(plan({ ...base, disk: { freeBytes: 7 * GB, totalBytes: 50 * GB } }).state).toBe('protected-only');
    expect(plan({ ...base, disk: { freeBytes: 11 * GB, totalBytes: 50 * GB } })).toMatchObject({ state: 'ok', deleteSegments: [] });
  });

  it('a clip awaiting the hub copy is kept like a protected one by age and by pressure; its footage too', () => {
    const clips = [clip(1, 100 * D, 100 * D - 10_000, { awaitingHub: true }), clip(2, 99 * D, 99 * D - 10_000)];
    const segments = [seg(10, 100 * D - 4_000), seg(20, 99 * D - 4_000)];
    const aged = plan({ clips, segments });
    expect(aged.expireClips).toEqual([{ id: 2, reason: 'clip-age' }]);
    expect(ids(aged.deleteSegments)).toEqual([20]);
    // Nothing else left to delete and still under the limit: the state names the hub, not protection.
    const full = plan({ clips, segments, disk: { freeBytes: 1 * GB, totalBytes: 50 * GB } });
    expect(ids(full.expireClips)).toEqual([2]);
    expect(full.state).toBe('awaiting-hub');
    // Protected and awaiting at once: protection is what holds it (the hub copy would not free it).
    expect(plan({ clips: [clip(1, 2 * D, 2 * D - 10_000, { protected: true, awaitingHub: true })], disk: { freeBytes: 1 * GB, totalBytes: 50 * GB } }).state).toBe('protected-only');
  });
});
