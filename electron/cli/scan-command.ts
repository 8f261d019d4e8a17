/**
 * `packwitness scan`: one scan over HTTP, the same endpoint the station screen uses.
 * Exit codes: 0 the scan was taken (started, switched, attached, stopped, mode), 3 ignored, 4 rejected,
 * 5 a clip is open but the station is not recording (the parcel is NOT being filmed: camera down, disk
 * full), 1 the station could not be reached or refused the token — so a script can tell them apart.
 */
import { ScanResponse, routes } from '../../shared/api.js';
import { printable } from '../station/printable.js';

export const SCAN_EXIT = { taken: 0, failed: 1, ignored: 3, rejected: 4, notFilmed: 5 } as const;

export async function sendScan(url: string, token: string | undefined, code: string, json: boolean): Promise<number> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    process.stderr.write(`packwitness: "${url}" is not a URL; pass the station's READY URL with --url.\n`);
    return 1;
  }
  const t = token ?? base.searchParams.get('token');
  if (!t) {
    process.stderr.write('packwitness: no token: pass --token T or the READY URL (it carries ?token=).\n');
    return 1;
  }
  let res: Response;
  try {
    res = await fetch(new URL(routes.scans, base.origin), {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  } catch (err) {
    process.stderr.write(`packwitness: the station at ${base.origin} did not answer (${(err as Error).cause ?? (err as Error).message}).\n`);
    return 1;
  }
  if (res.status === 401) {
    process.stderr.write('packwitness: the station refused the token.\n');
    return 1;
  }
  if (!res.ok) {
    process.stderr.write(`packwitness: the station answered ${res.status}: ${await res.text()}\n`);
    return 1;
  }
  const r = ScanResponse.parse(await res.json());
  process.stdout.write(json ? `${JSON.stringify(r)}\n` : `${r.action}${r.id !== null ? ` clip ${r.id}` : ''}: ${printable(r.message.en)} / ${printable(r.message['zh-CN'])}\n`);
  // A foot pedal's script must not take this for a normal start.
  if (r.warning) {
    process.stderr.write(`packwitness: WARNING: ${printable(r.warning.message.en)} / ${printable(r.warning.message['zh-CN'])}\n`);
    return SCAN_EXIT.notFilmed;
  }
  if (r.recording === false) process.stderr.write('packwitness: note: the station is not recording right now.\n');
  return r.action === 'rejected' ? SCAN_EXIT.rejected : r.action === 'ignored' ? SCAN_EXIT.ignored : SCAN_EXIT.taken;
}
