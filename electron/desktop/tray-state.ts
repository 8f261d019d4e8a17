/**
 * What the tray shows for a station status: the red-dot icon only while a segment is being written,
 * and a tooltip that says why not otherwise. Node only (main.ts applies it to Electron's Tray).
 */
import type { StatusResponse } from '../../shared/api.js';
import type { DesktopLabels } from './menu-labels.js';

export interface TrayState {
  icon: 'tray-recording' | 'tray-idle';
  tooltip: string;
}

export function trayState(status: StatusResponse | null, l: DesktopLabels): TrayState {
  if (!status) return { icon: 'tray-idle', tooltip: `PackWitness — ${l.trayStarting}` };
  const cam = status.camera;
  if (status.recording) {
    const clip = status.activeCodes.length ? ` · ${status.activeCodes.join(' ')}` : '';
    return { icon: 'tray-recording', tooltip: `PackWitness — ${l.trayRecording} (${status.station})${clip}` };
  }
  const why = cam.lastError ? `: ${cam.lastError}` : '';
  return { icon: 'tray-idle', tooltip: `PackWitness — ${l.trayNotRecording} (${cam.state})${why}` };
}
