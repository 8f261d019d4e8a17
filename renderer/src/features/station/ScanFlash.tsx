import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { FLASH_MS, useScanStore, type Flash } from './scan-store';
import { playSound, soundFor, useSoundSetting } from './sounds';

/**
 * What the last scan did, big, for a few seconds, with its beep. The colour says the outcome before
 * the words do; a duplicate warning and a scan the station never received are the loudest.
 */
export function ScanFlash() {
  const { t } = useTranslation();
  const flash = useScanStore((s) => s.flash);
  const clearFlash = useScanStore((s) => s.clearFlash);
  // Each scan beeps once, also when React runs an effect twice (StrictMode in development).
  const beeped = useRef(0);

  useEffect(() => {
    if (!flash) return;
    // Read, not subscribed: the sound belongs to the scan, not to a later flip of the switch.
    if (useSoundSetting.getState().enabled && beeped.current !== flash.id) playSound(flash.kind === 'result' ? soundFor(flash.response) : 'rejected');
    beeped.current = flash.id;
    const id = setTimeout(() => clearFlash(flash.id), FLASH_MS);
    return () => clearTimeout(id);
  }, [flash, clearFlash]);

  if (!flash) return null;
  const { tone, text, duplicate } = describe(flash, t);
  return (
    <div className={`scan-flash scan-flash--${tone}`} role="status" aria-live="assertive" data-testid="scan-flash" data-tone={tone} data-duplicate={String(duplicate)}>
      {duplicate && <div className="scan-flash__badge">⚠ {t('scans.duplicate')}</div>}
      <div className="scan-flash__text">{text}</div>
    </div>
  );
}

type Tone = 'started' | 'attached' | 'stopped' | 'mode' | 'ignored' | 'rejected' | 'duplicate' | 'failed';

function describe(flash: Flash, t: ReturnType<typeof useTranslation>['t']): { tone: Tone; text: string; duplicate: boolean } {
  if (flash.kind === 'failed') {
    const key = flash.reason === 'unauthorized' ? 'flash.notDeliveredUnauthorized' : 'flash.notDelivered';
    return { tone: 'failed', text: t(key, { code: flash.code }), duplicate: false };
  }
  const r = flash.response;
  const duplicate = r.duplicateOf.length > 0;
  const tone: Tone = duplicate ? 'duplicate' : r.action === 'switched' ? 'started' : r.action;
  return { tone, text: r.message[currentLanguage()], duplicate };
}
