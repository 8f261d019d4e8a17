/**
 * What a scan's result looks like and sounds like, wherever it is shown: the station screen's big
 * flash and the toast on the other screens (scans are caught on every screen of the
 * operator's UI). One place, so a scan never looks like one thing here and another there.
 */
import { useEffect } from 'react';
import type { TFunction } from 'i18next';
import type { Language } from '../../i18n';
import { otherLanguage } from '../../i18n';
import { messageText } from '../../i18n/refusal-text';
import { useScanStore, type Flash } from './scan-store';
import { playSound, soundFor, useSoundSetting } from './sounds';
import { useStationStore } from './station-store';

export type Tone = 'started' | 'attached' | 'stopped' | 'mode' | 'ignored' | 'rejected' | 'duplicate' | 'failed' | 'still-recording' | 'not-filmed';

export interface Outcome {
  tone: Tone;
  /** The line in the largest type. */
  text: string;
  /** For a clip that is not being filmed: the warning in the other language, and what the scan did. */
  otherLanguage: { lang: Language; text: string } | null;
  detail: string | null;
  duplicate: boolean;
  /** A clip is open and nothing is being filmed: stays on screen until the station records again. */
  notFilmed: boolean;
}

export function describeScanFlash(flash: Flash, t: TFunction, lng: Language): Outcome {
  if (flash.kind === 'failed') {
    const key = flash.reason === 'unauthorized' ? 'flash.notDeliveredUnauthorized' : 'flash.notDelivered';
    return { tone: 'failed', text: t(key, { code: flash.code }), otherLanguage: null, detail: null, duplicate: false, notFilmed: false };
  }
  const r = flash.response;
  const duplicate = r.duplicateOf.length > 0;
  if (r.warning) {
    const other = otherLanguage(lng);
    // What the scan did, without the station's usual sentence: "Recording …" would be untrue here.
    const detail = `${t(`action.${r.action}`)}: ${r.code}`;
    return { tone: 'not-filmed', text: messageText(r.warning.text, lng, r.warning.message), otherLanguage: { lang: other, text: messageText(r.warning.text, other, r.warning.message) }, detail, duplicate, notFilmed: true };
  }
  const tone: Tone = duplicate
    ? 'duplicate'
    : r.action === 'switched'
      ? 'started'
      : r.action === 'ignored' && r.reason === 'already-on-clip'
        ? 'still-recording'
        : // A packer signing in or out changes the bench, not a clip: it looks like a mode change.
          r.action === 'packer'
          ? 'mode'
          : r.action;
  return { tone, text: messageText(r.text, lng, r.message), otherLanguage: null, detail: null, duplicate, notFilmed: false };
}

/** The flash id whose sound has played: once per scan, also when another screen shows the same result. */
let sounded = 0;

/**
 * Plays the scan's sound once, then clears it after `lifetimeMs`; a scan whose parcel is not being
 * filmed stays until the station records again (or the next scan replaces it).
 */
export function useScanFlashLifetime(flash: Flash | null, lifetimeMs: number): void {
  const clearFlash = useScanStore((s) => s.clearFlash);
  const notFilmed = flash?.kind === 'result' && Boolean(flash.response.warning);
  // A status the station wrote after the scan (both times on the station's clock) that says it records.
  const scannedAt = flash?.kind === 'result' ? Date.parse(flash.response.at) : null;
  const recordingAgain = useStationStore((s) => s.status?.recording === true && scannedAt !== null && Date.parse(s.status.now) > scannedAt);

  useEffect(() => {
    if (!flash) return;
    // Read, not subscribed: the sound belongs to the scan, not to a later flip of the switch.
    if (sounded !== flash.id) {
      sounded = flash.id;
      if (useSoundSetting.getState().enabled) playSound(flash.kind === 'result' ? soundFor(flash.response) : 'rejected');
    }
    if (notFilmed) return;
    const id = setTimeout(() => clearFlash(flash.id), lifetimeMs);
    return () => clearTimeout(id);
  }, [flash, notFilmed, lifetimeMs, clearFlash]);

  useEffect(() => {
    if (flash && notFilmed && recordingAgain) clearFlash(flash.id);
  }, [flash, notFilmed, recordingAgain, clearFlash]);
}
