import { describe, expect, it } from 'vitest';
import { distinctCameraIds } from '../../electron/station/recorder/camera-ids.js';

describe('camera ids of a station with several cameras', () => {
  it('keeps distinct ids and numbers a repeated one by its position, the same at every start', () => {
    expect(distinctCameraIds(['v4l2-video0', 'v4l2-video2'])).toEqual(['v4l2-video0', 'v4l2-video2']);
    expect(distinctCameraIds(['demo', 'demo'])).toEqual(['demo', 'demo-2']);
    expect(distinctCameraIds(['file', 'demo', 'file', 'file'])).toEqual(['file', 'demo', 'file-3', 'file-4']);
    // A numbered id that a spec already has is skipped past, never shared.
    expect(distinctCameraIds(['demo', 'demo-2', 'demo'])).toEqual(['demo', 'demo-2', 'demo-3']);
  });
});
