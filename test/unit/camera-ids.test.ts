import { describe, expect, it } from 'vitest';
import { distinctCameraIds, stableCameraIds } from '../../electron/station/recorder/camera-ids.js';
import { cameraChanges } from '../../electron/station/recorder/camera-plan.js';
import { CameraListSettings, SchemaMessage } from '../../shared/api.js';
import { storedCameras } from '../../electron/station/settings/station-settings.js';

describe('camera ids of a station with several cameras', () => {
  it('keeps distinct ids and numbers a repeated one by its position, the same at every start', () => {
    expect(distinctCameraIds(['v4l2-video0', 'v4l2-video2'])).toEqual(['v4l2-video0', 'v4l2-video2']);
    expect(distinctCameraIds(['demo', 'demo'])).toEqual(['demo', 'demo-2']);
    expect(distinctCameraIds(['file', 'demo', 'file', 'file'])).toEqual(['file', 'demo', 'file-3', 'file-4']);
    // A numbered id that a spec already has is skipped past, never shared.
    expect(distinctCameraIds(['demo', 'demo-2', 'demo'])).toEqual(['demo', 'demo-2', 'demo-3']);
  });

  it('keeps the id of a camera that keeps its spec when the list is reordered, shortened or grown', () => {
    const cams = (...specs: string[]) => specs.map((spec) => ({ spec, base: spec.startsWith('demo') ? 'demo' : 'file' }));
    const known = new Map([
      ['demo:640x360', 'demo'],
      ['demo:320x240', 'demo-2'],
    ]);
    // Nothing known: the positional ids of a start from the command line.
    expect(stableCameraIds(cams('demo:640x360', 'demo:320x240'), new Map())).toEqual(distinctCameraIds(['demo', 'demo']));
    // Reordered: each keeps its own, whatever its position.
    expect(stableCameraIds(cams('demo:320x240', 'demo:640x360'), known)).toEqual(['demo-2', 'demo']);
    // The first removed: the second keeps demo-2; a new one takes what is free.
    expect(stableCameraIds(cams('demo:320x240'), known)).toEqual(['demo-2']);
    expect(stableCameraIds(cams('demo:320x240', 'demo:160x120'), known)).toEqual(['demo-2', 'demo']);
    expect(stableCameraIds(cams('demo:160x120', 'demo:640x360', 'demo:320x240'), known)).toEqual(['demo-3', 'demo', 'demo-2']);
    // An id of another kind ('auto' found another device) is not kept.
    expect(stableCameraIds([{ spec: 'auto', base: 'v4l2-video0' }], new Map([['auto', 'demo']]))).toEqual(['v4l2-video0']);
  });
});

describe('what a new camera list does to the cameras recording', () => {
  it('restarts only the cameras whose run would start differently, starts the new and stops the removed', () => {
    const now = [
      { id: 'demo', run: 'a main' },
      { id: 'demo-2', run: 'b' },
      { id: 'file', run: 'c' },
    ];
    expect(cameraChanges(now, [{ id: 'demo', run: 'a main' }, { id: 'demo-2', run: 'b fps 10' }, { id: 'v4l2-video0', run: 'd' }])).toEqual({
      stop: ['file'],
      restart: ['demo-2'],
      start: ['v4l2-video0'],
      keep: ['demo'],
    });
    // A new encoder setting restarts every camera that stays.
    expect(cameraChanges(now, now, true)).toEqual({ stop: [], restart: ['demo', 'demo-2', 'file'], start: [], keep: [] });
  });
});

describe('the saved camera list', () => {
  it('loads a single camera saved before the list as a list of one, unnamed', () => {
    expect(storedCameras({ spec: 'demo:640x360@15', resolution: 'auto', fps: null, quality: 'economy' })).toEqual({
      cameras: [{ spec: 'demo:640x360@15', resolution: 'auto', fps: null, quality: 'economy', name: '' }],
    });
    const list = { cameras: [{ spec: 'demo', name: 'Overhead', resolution: '1280x720', fps: 30, quality: 'standard', id: 'demo' }] };
    expect(storedCameras(list)).toEqual(list);
  });

  it('refuses a spec listed twice, a fifth camera, none, and an unsafe or long name', () => {
    const cam = { spec: 'demo', name: '', resolution: 'auto', fps: null, quality: 'standard' as const };
    const issues = (v: unknown) => {
      const r = CameraListSettings.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(issues({ cameras: [cam, { ...cam, spec: ' demo ' }] })).toEqual([['cameras.1.spec', 'the camera "demo" is listed twice: each camera once']]);
    expect(issues({ cameras: [cam, { ...cam, spec: 'rtsp://u:secret@10.0.0.9/a' }, { ...cam, spec: 'rtsp://u:secret@10.0.0.9/a' }] })[0]![1]).not.toContain('secret');
    expect(issues({ cameras: [1, 2, 3, 4, 5].map((n) => ({ ...cam, spec: `demo:${n * 100}x${n * 100}` })) })).toEqual([['cameras', SchemaMessage.camerasTooMany]]);
    expect(issues({ cameras: [] })).toEqual([['cameras', SchemaMessage.camerasEmpty]]);
    expect(issues({ cameras: [{ ...cam, name: 'Side\u202Eevil' }] })).toEqual([['cameras.0.name', SchemaMessage.cameraNameUnsafe]]);
    expect(issues({ cameras: [{ ...cam, name: 'x'.repeat(65) }] })).toEqual([['cameras.0.name', SchemaMessage.cameraNameLong]]);
    expect(issues({ cameras: [{ ...cam, name: '  侧面 ' }] })).toEqual([]);
  });
});
