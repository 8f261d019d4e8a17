/**
 * Beeps that say what a scan did, so the packer does not have to look up: Web Audio oscillators,
 * no sound files. Each outcome has its own rhythm and pitch (not only pitch: benches are noisy and
 * some people cannot tell two pitches apart).
 *
 * Browsers only let a page start audio after a user gesture; a keydown counts, so the scanner
 * listener calls unlockAudio() on every key and the first scan's beep is already allowed. Creating
 * the AudioContext is slow (over 100 ms in Chromium: it opens the audio device), so it is created
 * once when the screen opens (prepareAudio), never inside a key handler, where it would hold back
 * the scanner's next keys.
 */
import { create } from 'zustand';
import type { ScanResponse } from '../../../../shared/api';
import { SOUND_PATTERNS, type SoundName } from './sound-patterns';

export { SOUND_PATTERNS, type SoundName };

/**
 * The sound for a scan's result. Not being filmed wins over everything (the packer must stop and look),
 * then a duplicate warning over the clip action it came with.
 */
export function soundFor(r: Pick<ScanResponse, 'action' | 'duplicateOf' | 'reason' | 'warning'>): SoundName {
  if (r.warning) return 'notFilmed';
  if (r.duplicateOf.length > 0) return 'duplicate';
  if (r.action === 'ignored' && r.reason === 'already-on-clip') return 'stillRecording';
  switch (r.action) {
    case 'started':
    case 'switched':
      return 'started';
    case 'stopped':
      return 'stopped';
    case 'attached':
      return 'attached';
    case 'mode':
    case 'packer':
      return 'mode';
    case 'ignored':
      return 'ignored';
    case 'rejected':
      return 'rejected';
  }
}

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  if (typeof AudioContext === 'undefined') return null;
  try {
    ctx = new AudioContext();
  } catch {
    return null;
  }
  return ctx;
}

/** Creates the audio context ahead of the first beep (suspended until a user gesture). */
export function prepareAudio(): void {
  audio();
}

/** Call from a user gesture (keydown, click): lets later beeps play. Cheap: never creates the context. */
export function unlockAudio(): void {
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
}

export function playSound(name: SoundName): void {
  const a = audio();
  if (!a) return;
  if (a.state === 'suspended') void a.resume().catch(() => undefined);
  let t = a.currentTime + 0.01;
  for (const tone of SOUND_PATTERNS[name]) {
    t += (tone.pauseMs ?? 0) / 1000;
    const osc = a.createOscillator();
    const gain = a.createGain();
    osc.type = tone.wave ?? 'sine';
    osc.frequency.value = tone.hz;
    const peak = tone.volume ?? 0.35;
    const end = t + tone.ms / 1000;
    // Short ramps: no clicks at the edges.
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(peak, t + 0.008);
    gain.gain.setValueAtTime(peak, Math.max(t + 0.008, end - 0.015));
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
    osc.connect(gain).connect(a.destination);
    osc.start(t);
    osc.stop(end + 0.01);
    t = end;
  }
}

const STORAGE_KEY = 'packwitness.sounds';

function readEnabled(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** True when this browser switched the sounds itself (the station's saved default then does not apply). */
export function hasChosenSounds(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}

/** The station's default, for a browser that never chose: applied, not remembered as this browser's choice. */
export function applyDefaultSounds(on: boolean): void {
  if (!hasChosenSounds()) useSoundSetting.setState({ enabled: on });
}

interface SoundSetting {
  enabled: boolean;
  setEnabled: (on: boolean) => void;
}

/** On unless this PC turned it off; the choice survives reloads (localStorage). */
export const useSoundSetting = create<SoundSetting>()((set) => ({
  enabled: readEnabled(),
  setEnabled: (on) => {
    set({ enabled: on });
    try {
      localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    } catch {
      // Storage disabled: the choice lasts until the page reloads.
    }
  },
}));
