/**
 * The settings screen's sections as stored values: defaults, validation with the schemas of
 * shared/api.ts, and the one sentence a bad value gets. Each section is one key in the `settings` table
 * (scans/settings-store.ts); scan settings and export presets keep their own modules.
 */
import type { z } from 'zod';
import {
  CameraListSettings,
  CameraSettings,
  DisplaySettings,
  LanSettingsUpdate,
  StationIdentitySettings,
  type LanSettings,
} from '../../../shared/api.js';
import { settingsIssuesText } from '../../../shared/route-table.js';
import { msg, LocalizedError } from '../localized-error.js';
import type { SettingsStore } from '../scans/settings-store.js';
import { ViewerPassword, type StoredViewerPassword } from '../server/viewer-password.js';

export class SettingsError extends LocalizedError {
  override name = 'SettingsError';
}

export const DEFAULT_IDENTITY: StationIdentitySettings = { stationName: 'Station 1', operatorName: '' };
export const DEFAULT_CAMERA: CameraSettings = { spec: 'auto', resolution: 'auto', fps: null, quality: 'standard' };
export const DEFAULT_CAMERAS: CameraListSettings = { cameras: [{ ...DEFAULT_CAMERA, name: '' }] };

/**
 * The camera list as stored under the 'camera' key. Stations before the list stored one camera's
 * settings there: that loads as a list of one, unnamed.
 */
export function storedCameras(v: unknown): CameraListSettings {
  if (v && typeof v === 'object' && 'cameras' in v) return CameraListSettings.parse(v);
  return { cameras: [{ ...CameraSettings.parse(v), name: '' }] };
}
export const DEFAULT_DISPLAY: DisplaySettings = { language: null, sounds: true };

const KEYS = { identity: 'station', camera: 'camera', display: 'display', lan: 'lan' } as const;

/** A schema's complaints as one sentence (custom checks already wrote theirs as sentences). */
export function parseOrExplain<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  // Worded as the settings routes of the route table word theirs.
  throw new SettingsError(settingsIssuesText(r.error.issues));
}

interface StoredLan {
  enabled: boolean;
  /** scrypt salt and hash only; the password itself is never stored. */
  password: StoredViewerPassword | null;
}

function storedLan(v: unknown): StoredLan {
  const o = v as StoredLan;
  if (typeof o?.enabled !== 'boolean') throw new Error('not a LAN setting');
  return { enabled: o.enabled, password: o.password && typeof o.password.salt === 'string' && typeof o.password.hash === 'string' ? o.password : null };
}

/** The station's sections over the settings table: get returns the stored value or the default. */
export class StationSettings {
  constructor(private readonly store: SettingsStore) {}

  identity(): StationIdentitySettings {
    return this.store.get(KEYS.identity, DEFAULT_IDENTITY, (v) => StationIdentitySettings.parse(v));
  }
  setIdentity(input: unknown): StationIdentitySettings {
    const v = parseOrExplain(StationIdentitySettings, input);
    this.store.set(KEYS.identity, v);
    return v;
  }

  /** Every camera, the main one first. */
  cameras(): CameraListSettings {
    return this.store.get(KEYS.camera, DEFAULT_CAMERAS, storedCameras);
  }
  /** The main camera, for clients of GET /api/settings/camera (one camera). */
  camera(): CameraSettings {
    const { spec, resolution, fps, quality } = this.cameras().cameras[0]!;
    return { spec, resolution, fps, quality };
  }
  /** Validated by the schema; the caller also checks each spec opens (parseCameraSpec) before storing. */
  validateCameras(input: unknown): CameraListSettings {
    return parseOrExplain(CameraListSettings, input);
  }
  validateCamera(input: unknown): CameraSettings {
    return parseOrExplain(CameraSettings, input);
  }
  storeCameras(v: CameraListSettings): void {
    this.store.set(KEYS.camera, v);
  }

  display(): DisplaySettings {
    return this.store.get(KEYS.display, DEFAULT_DISPLAY, (v) => DisplaySettings.parse(v));
  }
  setDisplay(input: unknown): DisplaySettings {
    const v = parseOrExplain(DisplaySettings, input);
    this.store.set(KEYS.display, v);
    return v;
  }

  lan(): LanSettings {
    const s = this.storedLan();
    return { enabled: s.enabled, passwordSet: s.password !== null };
  }
  /** The saved viewer password (a hash), for the next start in LAN mode. */
  lanPassword(): ViewerPassword | null {
    const p = this.storedLan().password;
    return p ? ViewerPassword.fromStored(p) : null;
  }
  setLan(input: unknown): LanSettings {
    const u = parseOrExplain(LanSettingsUpdate, input);
    const before = this.storedLan();
    const password = u.viewerPassword !== undefined ? ViewerPassword.fromPlainText(u.viewerPassword).toStored() : before.password;
    if (u.enabled && !password) throw new SettingsError(msg('stationSettings.lanNeedsViewerPassword'));
    this.store.set(KEYS.lan, { enabled: u.enabled, password } satisfies StoredLan);
    return { enabled: u.enabled, passwordSet: password !== null };
  }
  private storedLan(): StoredLan {
    return this.store.get<StoredLan>(KEYS.lan, { enabled: false, password: null }, storedLan);
  }
}
