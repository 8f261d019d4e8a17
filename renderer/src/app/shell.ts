/**
 * What the desktop shell adds to a browser (see electron/preload.cts). Absent in a plain browser: every
 * caller falls back to what a browser can do (a download link).
 */
import type { ExportFileRole } from '../../../shared/api';

export interface ShellBridge {
  kind: 'electron';
  /** Drag an export's file out of the window (onto an upload field, the desktop, a chat). */
  startDrag?: (jobId: string, role: ExportFileRole) => void;
  showInFolder?: (jobId: string, role: ExportFileRole) => Promise<void>;
  /** A native "Save as" dialog; resolves with the chosen path, or null when cancelled. */
  saveAs?: (jobId: string, role: ExportFileRole) => Promise<string | null>;
  /** A native folder picker for the data folder's new place; resolves with the path, or null when cancelled. */
  pickFolder?: () => Promise<string | null>;
}

export const shell: ShellBridge | undefined = (globalThis as { packwitnessShell?: ShellBridge }).packwitnessShell;
