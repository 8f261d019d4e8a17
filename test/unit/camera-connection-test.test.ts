import { describe, expect, it } from 'vitest';
import { testCamera } from '../../electron/station/recorder/camera-test.js';
import { locateFfmpeg } from '../../electron/station/ffmpeg/locate.js';

describe('the settings screen\'s camera test (through the ffmpeg runner)', () => {
  it('gives one JPEG from a camera that works', async () => {
    const ff = await locateFfmpeg();
    const r = await testCamera(ff.path, 'demo', ff.major);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Buffer.from(r.jpegBase64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('names a refused connection in plain words, without the password', async () => {
    const ff = await locateFfmpeg();
    const r = await testCamera(ff.path, 'rtsp://admin:secret@127.0.0.1:9/stream', ff.major);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^Nothing answers at 127\.0\.0\.1:9/) as unknown });
    expect(JSON.stringify(r)).not.toMatch(/secret/);
  });

  it('gives up when no picture comes in time, and says so', async () => {
    const ff = await locateFfmpeg();
    const r = await testCamera(ff.path, 'demo', ff.major, 1);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^No picture from .* within 0 s/) as unknown });
  });
});
