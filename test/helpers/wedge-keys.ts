/**
 * Browser-side helpers for the scanner e2e tests: a keyboard-wedge scanner typing into the page, and
 * a record of every tone the page's sounds module plays.
 */
import type { Page } from 'playwright-core';
import { SOUND_PATTERNS, type SoundName } from '../../renderer/src/features/station/sound-patterns.js';

/** Gap between a scanner's key presses: a wedge scanner sends them < 30 ms apart. */
export const SCANNER_GAP_MS = 5;
/** A person: well over the 80 ms of the fastest typists' average. */
export const HUMAN_GAP_MS = 150;

/**
 * A keyboard-wedge scanner: the characters SCANNER_GAP_MS apart, then Enter (or Tab, or nothing).
 * Each key carries its own timestamp, as the OS stamps a real scanner's, and all go out at once: a
 * page busy with a screenshot or a re-render handles them late but sees their real spacing, which
 * is what the station's wedge detector reads (KeyboardEvent.timeStamp). Typing them one by one
 * through page.keyboard made the spacing the machine's load, and a loaded machine a person.
 */
export async function scannerTypes(page: Page, code: string, terminator: 'Enter' | 'Tab' | null = 'Enter'): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const keys: Array<{ key: string; code?: string; text?: string; windowsVirtualKeyCode?: number }> = [...code].map((ch) => ({ key: ch, text: ch }));
    if (terminator === 'Enter') keys.push({ key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 });
    if (terminator === 'Tab') keys.push({ key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 });
    const t0 = Date.now() / 1000;
    await Promise.all(
      keys.flatMap((k, i) => {
        const at = t0 + (i * SCANNER_GAP_MS) / 1000;
        return [
          cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, timestamp: at }),
          cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, timestamp: at + 0.001 }),
        ];
      }),
    );
  } finally {
    await cdp.detach();
  }
}

/**
 * A scanner whose burst reaches the page in two lots, as a busy PC's browser can hand it over: the
 * keys keep their scanner spacing (timestamps SCANNER_GAP_MS apart), but the ones from `holdAt` on
 * are sent `holdMs` later.
 */
export async function scannerTypesHeldUp(page: Page, code: string, holdAt: number, holdMs: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const keys: Array<{ key: string; code?: string; text?: string; windowsVirtualKeyCode?: number }> = [...code].map((ch) => ({ key: ch, text: ch }));
    keys.push({ key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 });
    const t0 = Date.now() / 1000;
    for (const [i, k] of keys.entries()) {
      if (i === holdAt) await new Promise((r) => setTimeout(r, holdMs));
      const at = t0 + (i * SCANNER_GAP_MS) / 1000;
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, timestamp: at });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, timestamp: at + 0.001 });
    }
  } finally {
    await cdp.detach();
  }
}

/** A person: the same characters, slowly. */
export async function personTypes(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: HUMAN_GAP_MS });
}

export interface PlayedTone {
  hz: number;
  wave: string;
  ms: number;
}

/**
 * Records every oscillator the page starts (the sounds module synthesises each beep with Web Audio:
 * one oscillator per tone), with its pitch, wave and length. Call before the page loads.
 */
export async function recordTones(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tones: Array<{ hz: number; wave: string; startAt: number; stopAt: number | null }> = [];
    (window as unknown as { playedTones: typeof tones }).playedTones = tones;
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      const osc = create.call(this);
      const start = osc.start.bind(osc);
      const stop = osc.stop.bind(osc);
      let tone: (typeof tones)[number] | null = null;
      osc.start = (when?: number) => {
        tone = { hz: osc.frequency.value, wave: osc.type, startAt: when ?? this.currentTime, stopAt: null };
        tones.push(tone);
        start(when);
      };
      osc.stop = (when?: number) => {
        if (tone) tone.stopAt = when ?? this.currentTime;
        stop(when);
      };
      return osc;
    };
  });
}

/** The tones played since the last call (each tone's length without the sounds module's 10 ms of tail). */
export async function takeTones(page: Page): Promise<PlayedTone[]> {
  const raw = await page.evaluate(() => {
    const w = window as unknown as { playedTones: Array<{ hz: number; wave: string; startAt: number; stopAt: number | null }> };
    return w.playedTones.splice(0);
  });
  return raw.map((t) => ({ hz: t.hz, wave: t.wave, ms: t.stopAt === null ? 0 : Math.round((t.stopAt - t.startAt) * 1000) - 10 }));
}

/** The tones a named sound is made of, as takeTones reports them. */
export function tonesOf(name: SoundName): PlayedTone[] {
  return SOUND_PATTERNS[name].map((t) => ({ hz: t.hz, wave: t.wave ?? 'sine', ms: t.ms }));
}

/** Waits until the page has played exactly the tones of `name` (and nothing else) since the last takeTones. */
export async function expectSound(page: Page, name: SoundName, timeoutMs = 5_000): Promise<void> {
  const want = tonesOf(name);
  const got: PlayedTone[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < want.length && Date.now() < deadline) {
    got.push(...(await takeTones(page)));
    if (got.length < want.length) await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  got.push(...(await takeTones(page)));
  const same = got.length === want.length && got.every((t, i) => t.hz === want[i]!.hz && t.wave === want[i]!.wave && Math.abs(t.ms - want[i]!.ms) <= 2);
  if (!same) throw new Error(`expected the "${name}" sound ${JSON.stringify(want)}, the page played ${JSON.stringify(got)}`);
}
