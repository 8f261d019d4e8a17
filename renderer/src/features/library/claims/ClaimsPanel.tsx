import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Claim, Clip } from '../../../../../shared/api';
import { api, ApiError, isAbort } from '../../../api/client';
import { ClaimCard } from './ClaimCard';
import { ClaimForm } from './ClaimForm';
import { takeClaimPhotos } from './pending-claim-photos';

/**
 * The claim check on the clip page: the clip's claims, newest first, and the form that
 * adds one. Adding a claim protects the clip and writes the audit log, so the page reloads both.
 */
export function ClaimsPanel({ clip, onClaimAdded, onSeek }: { clip: Clip; onClaimAdded: () => void; onSeek: (seconds: number) => void }) {
  const { t } = useTranslation();
  const [claims, setClaims] = useState<Claim[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Photos dropped on the library for this clip open the form already holding them.
  const [handedOver] = useState<File[] | null>(() => takeClaimPhotos(clip.id));
  const [adding, setAdding] = useState(handedOver !== null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    api.clipClaims(clip.id, ctrl.signal).then(
      (r) => {
        setClaims(r.claims);
        setError(null);
      },
      (err: unknown) => {
        if (isAbort(err, ctrl.signal)) return;
        setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
      },
    );
    return () => ctrl.abort();
  }, [clip.id, attempt]);

  const added = useCallback(
    (c: Claim) => {
      setClaims((prev) => [c, ...(prev ?? []).filter((x) => x.id !== c.id)]);
      setAdding(false);
      onClaimAdded();
    },
    [onClaimAdded],
  );

  return (
    <section className="panel claims" data-testid="claims-panel" aria-labelledby="claims-title">
      <div className="claims__head">
        <h2 className="panel__title" id="claims-title">
          {t('claim.panelTitle')}
        </h2>
        {!adding && (
          <button type="button" className="button button--primary" data-testid="add-claim" onClick={() => setAdding(true)}>
            {t('claim.add')}
          </button>
        )}
      </div>
      <p className="panel__help">{t('claim.panelHelp')}</p>
      {adding && <ClaimForm clipId={clip.id} initialPhotos={handedOver ?? undefined} onAdded={added} onCancel={() => setAdding(false)} />}
      {error && (
        <p className="panel__error" role="alert">
          {t('claim.loadError', { message: error })}{' '}
          <button type="button" className="button button--small" onClick={() => setAttempt((n) => n + 1)}>
            {t('library.retry')}
          </button>
        </p>
      )}
      {claims === null ? (
        !error && <p className="panel__help">{t('clipPage.loading')}</p>
      ) : claims.length === 0 ? (
        <p className="panel__help" data-testid="no-claims">
          {t('claim.none')}
        </p>
      ) : (
        <div className="claims__list">
          {claims.map((c) => (
            <ClaimCard key={c.id} claim={c} clipId={clip.id} clipStartedAt={clip.startedAt} hasVideo={clip.video !== null && !clip.videoExpiredAt} onSeek={onSeek} />
          ))}
        </div>
      )}
    </section>
  );
}
