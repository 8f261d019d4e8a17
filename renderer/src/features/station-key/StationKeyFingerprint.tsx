import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationKey } from '../../../../shared/api';
import { api } from '../../api/client';

/** How long "Copied" shows before the button reads "Copy" again. */
const COPIED_SHOWN_MS = 2_000;

/**
 * The station's full signing-key fingerprint, 64 hex digits in groups of four, with a Copy button.
 * It is what a recipient compares a bundle with (`packwitness verify --expect-fingerprint`), so it is
 * shown whole wherever it appears: a prefix would let a forger's key that shares it pass a glance.
 * Copy puts the 64 digits without spaces on the clipboard (the form --expect-fingerprint and the
 * trusted keys file take; they accept the grouped one too).
 *
 * `compact`: two rows of eight groups, for the packer's status panel; `block`: four rows of four, for reading out.
 */
export function StationKeyFingerprint({ stationKey, layout, testId = 'station-key' }: { stationKey: StationKey; layout: 'compact' | 'block'; testId?: string }) {
  const { t } = useTranslation();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (copy === 'idle') return;
    const timer = setTimeout(() => setCopy('idle'), COPIED_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [copy]);
  const onCopy = (): void => {
    void copyText(stationKey.fingerprint).then((ok) => setCopy(ok ? 'copied' : 'failed'));
  };
  return (
    <span className={`station-key station-key--${layout}`}>
      <code className="station-key__digits" data-testid={`${testId}-fingerprint`} translate="no" aria-label={t('stationKey.fingerprint')}>
        {stationKey.fingerprintGrouped}
      </code>
      {/* The packer's screen is dark (toolbar buttons); settings and health are light. */}
      <button type="button" className={`${layout === 'compact' ? 'toolbar-button' : 'button button--small'} station-key__copy`} data-testid={`${testId}-copy`} data-copy={stationKey.fingerprint} onClick={onCopy}>
        {copy === 'copied' ? t('stationKey.copied') : t('stationKey.copy')}
      </button>
      {copy === 'failed' && (
        <span className="station-key__failed" role="alert">
          {t('stationKey.copyFailed')}
        </span>
      )}
    </span>
  );
}

/**
 * The Clipboard API needs a secure context, which a station opened over the LAN by its address
 * (plain http) is not; there the old select-and-copy command still works.
 */
async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied (no user gesture, a policy): try the old way.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** The station key from GET /api/status, read once (it never changes while the station runs). */
export function useStationKey(): StationKey | null {
  const [key, setKey] = useState<StationKey | null>(null);
  useEffect(() => {
    let stopped = false;
    api.status().then(
      (s) => !stopped && setKey(s.stationKey ?? null),
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, []);
  return key;
}
