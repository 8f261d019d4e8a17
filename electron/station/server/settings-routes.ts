/**
 * The settings screen's routes: one GET/PUT pair per section, the cameras this computer
 * offers, the RTSP "test connection", and the classification tester. A PUT validates with the
 * section's schema from shared/api.ts and answers 400 with one sentence; nothing is stored then.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CameraEntry, CameraListSettings, CameraTestResult, CamerasResponse, SettingsInfo, StationIdentitySettings } from '../../../shared/api.js';
import { stationRoutes as r } from '../../../shared/route-table.js';
import { addRoute } from './route.js';
import { errorBody } from '../localized-error.js';
import { CameraSpecError } from '../recorder/camera-spec.js';
import { Classifier } from '../scans/classifier.js';
import type { ScanService } from '../scans/scan-service.js';
import { ScanSettingsError, validateScanSettings } from '../scans/scan-settings.js';
import { SettingsError, type StationSettings } from '../settings/station-settings.js';

export interface SettingsRouteDeps {
  settings: StationSettings;
  scans: ScanService;
  info: () => SettingsInfo;
  applyIdentity: (v: StationIdentitySettings) => Promise<void>;
  /**
   * Check, store and apply a camera list (the cameras whose settings changed restart); resolves with
   * it as stored (ids set) once the cameras that start are launched. Throws CameraSpecError or
   * SettingsError, before anything is stored, for a list that cannot record.
   */
  saveCameras: (list: readonly CameraEntry[]) => Promise<CameraEntry[]>;
  listCameras: () => Promise<CamerasResponse>;
  testCamera: (spec: string) => Promise<CameraTestResult>;
}

const INVALID_REASONS: Record<string, string> = {
  empty: 'nothing was scanned',
  'control-characters': 'it contains control characters',
  'too-long': 'it is too long',
  'no-rule': 'no rule matches it',
  'unknown-command': 'it looks like a command but is none of the command codes',
};

function badRequest(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof SettingsError || err instanceof ScanSettingsError || err instanceof CameraSpecError) {
    return reply.code(400).send(errorBody(err));
  }
  throw err;
}

export function registerSettingsRoutes(app: FastifyInstance, d: SettingsRouteDeps): void {
  addRoute(app, r.settingsInfo, async () => d.info());

  addRoute(app, r.stationSettings, async () => d.settings.identity());
  addRoute(app, r.saveStationSettings, async (req, reply) => {
    try {
      const v = d.settings.setIdentity(req.body);
      await d.applyIdentity(v);
      return v;
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  addRoute(app, r.cameraListSettings, async () => d.settings.cameras());
  addRoute(app, r.saveCameraListSettings, async (req, reply) => {
    try {
      const v = d.settings.validateCameras(req.body);
      return { cameras: await d.saveCameras(v.cameras) } satisfies CameraListSettings;
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  // One camera, for clients from before the list: the main camera. A PUT replaces it and keeps the
  // other saved cameras (one of the same spec moves up to be the main one).
  addRoute(app, r.cameraSettings, async () => d.settings.camera());
  addRoute(app, r.saveCameraSettings, async (req, reply) => {
    try {
      const v = d.settings.validateCamera(req.body);
      const saved = d.settings.cameras().cameras;
      const name = saved.find((c) => c.spec === v.spec)?.name ?? '';
      await d.saveCameras([{ ...v, name }, ...saved.slice(1).filter((c) => c.spec !== v.spec)]);
      return v;
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  addRoute(app, r.cameras, async () => d.listCameras());
  // Spawns ffmpeg against any address it is given: operator-only (access.ts leaves it out on purpose).
  addRoute(app, r.testCamera, async (_req, reply, { body }) => {
    try {
      return await d.testCamera(body.spec);
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  addRoute(app, r.displaySettings, async () => d.settings.display());
  addRoute(app, r.saveDisplaySettings, async (req, reply) => {
    try {
      return d.settings.setDisplay(req.body);
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  addRoute(app, r.lanSettings, async () => d.settings.lan());
  addRoute(app, r.saveLanSettings, async (req, reply) => {
    try {
      return d.settings.setLan(req.body);
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  // The live tester classifies with the server's own classifier and the settings as typed (unsaved),
  // so "this code would be" is exactly what a scan would do once they are saved.
  addRoute(app, r.testScan, async (_req, reply, { body }) => {
    try {
      const c = new Classifier(validateScanSettings(body.settings)).classify(body.code);
      return {
        code: c.code,
        kind: c.kind,
        rule: c.kind === 'order' || c.kind === 'waybill' || c.kind === 'item' || c.kind === 'ignore' || c.kind === 'packer' ? c.rule : c.kind === 'command' ? c.command : null,
        reason: c.kind === 'invalid' ? (INVALID_REASONS[c.reason] ?? c.reason) : null,
      };
    } catch (err) {
      return badRequest(reply, err);
    }
  });
}
