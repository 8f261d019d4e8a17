/**
 * GET/PUT /api/settings/encoder: whether recording may use a hardware H.264 encoder, the
 * codec the current run really encodes with, and the cached test encodes that explain why. A PUT is
 * stored and then applied by restarting the recording run, as a camera change is.
 */
import type { FastifyInstance } from 'fastify';
import type { EncoderSettingsResponse, HardwareEncoderSetting } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import type { HardwareEncoderSetting as CoreSetting } from '../recorder/hardware-encoders.js';
import { addRoute } from './route.js';

// The contract and the recorder name the same encoders: a new one added on one side only fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameSetting: Same<HardwareEncoderSetting, CoreSetting> = true;
void sameSetting;

export interface EncoderRouteDeps {
  current: () => Promise<EncoderSettingsResponse>;
  /** Store the setting and restart the recording with it; resolves when the new run is launched. */
  apply: (setting: HardwareEncoderSetting) => Promise<void>;
}

export function registerEncoderRoutes(app: FastifyInstance, d: EncoderRouteDeps): void {
  addRoute(app, r.encoderSettings, async () => d.current());

  // A refused body: the route table's sentence (the schema's own, naming the bad value and the choices).
  addRoute(app, r.saveEncoderSettings, async (_req, _reply, { body }) => {
    await d.apply(body.hardwareEncoder);
    return d.current();
  });
}
