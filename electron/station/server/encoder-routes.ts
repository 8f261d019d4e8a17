/**
 * GET/PUT /api/settings/encoder: whether recording may use a hardware H.264 encoder, the
 * codec the current run really encodes with, and the cached test encodes that explain why. A PUT is
 * stored and then applied by restarting the recording run, as a camera change is.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { EncoderSettings, routes, type EncoderSettingsResponse, type ErrorResponse, type HardwareEncoderSetting } from '../../../shared/api.js';
import type { HardwareEncoderSetting as CoreSetting } from '../recorder/hardware-encoders.js';

// The contract and the recorder name the same encoders: a new one added on one side only fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameSetting: Same<HardwareEncoderSetting, CoreSetting> = true;
void sameSetting;

export interface EncoderRouteDeps {
  current: () => Promise<EncoderSettingsResponse>;
  /** Store the setting and restart the recording with it; resolves when the new run is launched. */
  apply: (setting: HardwareEncoderSetting) => Promise<void>;
}

function refuse(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: message } satisfies ErrorResponse);
}

export function registerEncoderRoutes(app: FastifyInstance, d: EncoderRouteDeps): void {
  app.get(routes.encoderSettings, async (): Promise<EncoderSettingsResponse> => d.current());

  app.put(routes.encoderSettings, async (req, reply) => {
    const r = EncoderSettings.safeParse(req.body);
    if (!r.success) {
      // The schema's own sentence names the bad value and the choices; a body of another shape says what it should be.
      const issue = r.error.issues[0]!;
      return refuse(reply, issue.path[0] === 'hardwareEncoder' ? issue.message : 'The body is {"hardwareEncoder": "auto" | "off" | an encoder name}.');
    }
    await d.apply(r.data.hardwareEncoder);
    return d.current();
  });
}
