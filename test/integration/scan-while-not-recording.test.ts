/**
 * A scan while the camera is down must not answer like a normal start. The clip
 * still starts (the footage may come back before it ends), but the answer says the station is not
 * recording and carries the warning in both languages; the scan log keeps it; `packwitness scan`
 * prints it and exits 5. Once the camera records again, scans answer as before.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanResponse, ScansResponse, StatusResponse, routes } from '../../shared/api.js';
import { messageText } from '../../renderer/src/i18n/refusal-text.js';
import { freePort, startNetworkCamera } from '../helpers/network-camera.js';
import { cliPath, startStation, waitFor, type StationProcess } from '../helpers/station-process.js';

describe('a scan while the camera is not recording', () => {
  let station: StationProcess | null = null;
  let camera: ChildProcess | null = null;
  afterEach(async () => {
    camera?.kill('SIGKILL');
    camera = null;
    await station?.stop();
    station = null;
  });

  it('starts the clip but says the parcel is NOT being filmed, in the answer, the log and the CLI; normal again once the camera is back', async () => {
    const port = await freePort();
    camera = await startNetworkCamera(port);
    const s = (station = await startStation({ camera: `tcp://127.0.0.1:${port}` }));
    const status = async () => StatusResponse.parse(await (await s.api(routes.status)).json());
    const scan = async (code: string) =>
      ScanResponse.parse(await (await s.api(routes.scans, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json());
    await waitFor(async () => ((await status()).recording ? true : undefined), 20_000, 'recording');

    // Recording: a normal start says so.
    const normal = await scan('111111111111111111');
    expect(normal).toMatchObject({ action: 'started', recording: true, warning: null, reason: 'first-scan' });
    expect((await scan('PW-STOP')).action).toBe('stopped');

    camera.kill('SIGKILL');
    await waitFor(async () => ((await status()).recording ? undefined : true), 5_000, 'NOT RECORDING');

    const down = await scan('123456789012345678');
    expect(down.action).toBe('started');
    expect(down.recording).toBe(false);
    expect(down.warning).toEqual({
      code: 'camera-not-recording',
      message: { 'zh-CN': '摄像头没有在录像：这个包裹没有被拍下来', en: 'Camera not recording: this parcel is NOT being filmed' },
      text: { code: 'scan.cameraDown' },
    });
    // The screen words it from the message, in the UI's language and the other one.
    expect(messageText(down.warning!.text, 'zh-CN', null)).toBe('摄像头没有在录像：这个包裹没有被拍下来');
    expect(messageText(down.warning!.text, 'en', null)).toBe('Camera not recording: this parcel is NOT being filmed');
    // The clip runs all the same: the camera may come back while the parcel is packed.
    expect((await status()).activeClipId).toBe(down.id);
    // The scan log keeps what the packer was told, the warning included.
    const logged = ScansResponse.parse(await (await s.api(`${routes.scans}?limit=1`)).json()).scans[0]!;
    expect(logged.code).toBe('123456789012345678');
    expect(logged.message.en).toContain('NOT being filmed');
    expect(logged.message['zh-CN']).toContain('没有被拍下来');

    // Rescanning the label while the camera is down: still the same clip, still the warning.
    await new Promise((r) => setTimeout(r, 2_100)); // past the double-scan window
    const again = await scan('123456789012345678');
    expect(again).toMatchObject({ action: 'ignored', reason: 'already-on-clip', recording: false, warning: { code: 'camera-not-recording' } });

    // The CLI (a foot pedal's script) prints the warning and exits 5.
    const cli = spawnSync(process.execPath, [cliPath, 'scan', '--url', s.url, 'SF1234567890123'], { encoding: 'utf8' });
    expect(cli.status).toBe(5);
    expect(cli.stdout).toMatch(/^attached clip \d+: /);
    expect(cli.stderr).toContain('WARNING: Camera not recording: this parcel is NOT being filmed / 摄像头没有在录像：这个包裹没有被拍下来');

    // A stop while down: no parcel on the bench any more, so no warning, but the flag is honest.
    const stop = await scan('PW-STOP');
    expect(stop).toMatchObject({ action: 'stopped', recording: false, warning: null });

    camera = await startNetworkCamera(port);
    await waitFor(async () => ((await status()).recording ? true : undefined), 15_000, 'recording again');
    const back = await scan('987654321098765432');
    expect(back).toMatchObject({ action: 'started', recording: true, warning: null });
    const cliBack = spawnSync(process.execPath, [cliPath, 'scan', '--url', s.url, 'PW-STOP'], { encoding: 'utf8' });
    expect(cliBack.status).toBe(0);
    expect(cliBack.stderr).toBe('');
  }, 90_000);
});
