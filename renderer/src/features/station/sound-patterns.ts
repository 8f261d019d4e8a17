/**
 * Each scan outcome's sound as data: pitch, length, pauses (sounds.ts plays them with Web Audio).
 * No imports, so the e2e tests read the same table to tell which sound the page played.
 */
export type SoundName = 'started' | 'stopped' | 'duplicate' | 'rejected' | 'attached' | 'mode' | 'ignored' | 'stillRecording' | 'notFilmed';

interface Tone {
  hz: number;
  ms: number;
  /** Silence before this tone. */
  pauseMs?: number;
  wave?: OscillatorType;
  /** 0..1 */
  volume?: number;
}

export const SOUND_PATTERNS: Record<SoundName, Tone[]> = {
  // One clear high beep: recording this order.
  started: [{ hz: 1_320, ms: 160 }],
  // Two descending: done.
  stopped: [
    { hz: 990, ms: 140 },
    { hz: 660, ms: 220, pauseMs: 60 },
  ],
  // Three rapid, high and harsh: look at the screen.
  duplicate: [
    { hz: 1_760, ms: 80, wave: 'square', volume: 0.22 },
    { hz: 1_760, ms: 80, pauseMs: 50, wave: 'square', volume: 0.22 },
    { hz: 1_760, ms: 80, pauseMs: 50, wave: 'square', volume: 0.22 },
  ],
  // Low buzz: not taken.
  rejected: [{ hz: 150, ms: 450, wave: 'sawtooth', volume: 0.3 }],
  // Short double high: added to this clip.
  attached: [
    { hz: 1_570, ms: 60 },
    { hz: 1_570, ms: 60, pauseMs: 50 },
  ],
  // Rising pair: mode changed.
  mode: [
    { hz: 660, ms: 120 },
    { hz: 990, ms: 180, pauseMs: 40 },
  ],
  // One soft short mid tone: heard, nothing changed.
  ignored: [{ hz: 520, ms: 90, volume: 0.15 }],
  // A short, soft tick, higher than any beep: the label of the parcel being packed again, its clip goes on.
  stillRecording: [{ hz: 2_090, ms: 50, volume: 0.2 }],
  // The error buzz twice, longer than any other sound: a clip is open but nothing is being filmed.
  notFilmed: [
    { hz: 150, ms: 450, wave: 'sawtooth', volume: 0.3 },
    { hz: 150, ms: 450, pauseMs: 120, wave: 'sawtooth', volume: 0.3 },
  ],
};
