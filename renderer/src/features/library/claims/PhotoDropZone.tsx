import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClaimIdentifyResponse, Clip } from '../../../../../shared/api';
import { api, ApiError, isAbort } from '../../../api/client';
import { clipHash, navigate } from '../../../app/routing';
import { currentLanguage } from '../../../i18n';
import { messageText } from '../../../i18n/refusal-text';
import { formatDateTime } from '../format';
import { CLAIM_PHOTOS_MAX } from './ClaimForm';
import { handOverClaimPhotos } from './pending-claim-photos';

const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif';

type State =
  | { status: 'idle' }
  | { status: 'reading'; count: number }
  | { status: 'error'; message: string }
  | { status: 'done'; photos: File[]; answer: ClaimIdentifyResponse; clips: Map<number, Clip | null> };

/**
 * "Drop the buyer's photos here": the station reads the barcodes in them (a photographed waybill
 * label) and answers the clips carrying those codes; choosing one opens its clip page with the claim
 * form already holding the photos. The station keeps nothing until the claim is added there.
 */
export function PhotoDropZone() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ status: 'idle' });
  const [over, setOver] = useState(false);
  const ctrl = useRef<AbortController | null>(null);

  useEffect(() => () => ctrl.current?.abort(), []);

  const identify = async (files: File[]): Promise<void> => {
    const photos = files.filter((f) => f.size > 0);
    if (photos.length === 0) return;
    if (photos.length > CLAIM_PHOTOS_MAX) {
      setState({ status: 'error', message: t('claim.tooManyPhotos', { max: CLAIM_PHOTOS_MAX, count: photos.length }) });
      return;
    }
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    setState({ status: 'reading', count: photos.length });
    const form = new FormData();
    for (const f of photos) form.append('photo', f, f.name);
    try {
      const answer = await api.identifyClaimPhotos(form, c.signal);
      const ids = [...new Set(answer.photos.flatMap((p) => p.barcodes.flatMap((b) => b.clipIds)))];
      // Each offered clip's start and codes, so the merchant can tell them apart; a clip that cannot be read is still offered by number.
      const clips = new Map<number, Clip | null>(await Promise.all(ids.map(async (id) => [id, await api.clip(id, c.signal).catch(() => null)] as const)));
      if (!c.signal.aborted) setState({ status: 'done', photos, answer, clips });
    } catch (err) {
      if (isAbort(err, c.signal)) return;
      setState({ status: 'error', message: err instanceof ApiError || err instanceof Error ? err.message : String(err) });
    }
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    void identify([...e.dataTransfer.files]);
  };

  const open = (clipId: number, photos: File[]): void => {
    handOverClaimPhotos(clipId, photos);
    navigate(clipHash(clipId));
  };

  return (
    <section
      className={`photo-drop${over ? ' photo-drop--over' : ''}`}
      data-testid="photo-drop"
      data-status={state.status}
      aria-labelledby="photo-drop-title"
      onDragOver={(e) => {
        if (![...e.dataTransfer.types].includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="photo-drop__head">
        <h2 className="photo-drop__title" id="photo-drop-title">
          {t('claimFind.title')}
        </h2>
        <button type="button" className="button button--small" data-testid="photo-drop-choose" disabled={state.status === 'reading'} onClick={() => input.current?.click()}>
          {t('claimFind.choose')}
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept={PHOTO_ACCEPT}
          data-testid="photo-drop-input"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void identify(files);
          }}
        />
      </div>
      <p className="panel__help">{t('claimFind.help', { max: CLAIM_PHOTOS_MAX })}</p>
      {state.status === 'reading' && (
        <p className="panel__help" role="status" data-testid="photo-drop-busy">
          {t('claimFind.reading', { count: state.count })}
        </p>
      )}
      {state.status === 'error' && (
        <p className="panel__error" role="alert" data-testid="photo-drop-error">
          {state.message}
        </p>
      )}
      {state.status === 'done' && <Answer answer={state.answer} clips={state.clips} onOpen={(id) => open(id, state.photos)} />}
    </section>
  );
}

function Answer({ answer, clips, onOpen }: { answer: ClaimIdentifyResponse; clips: Map<number, Clip | null>; onOpen: (clipId: number) => void }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const offered = [...clips.keys()];
  return (
    <div className="photo-drop__answer" data-testid="photo-drop-answer">
      <ul className="photo-drop__photos">
        {answer.photos.map((p, i) => (
          <li key={i} data-testid="photo-drop-photo">
            <span className="photo-drop__name">{p.name}</span>{' '}
            {p.error ? (
              <span className="panel__error">{messageText(p.text, lng, p.error)}</span>
            ) : p.barcodes.length === 0 ? (
              <span>{t('claimFind.noCode')}</span>
            ) : (
              p.barcodes.map((b, k) => (
                <span key={k} className="photo-drop__code" data-testid="photo-drop-code">
                  {b.text}
                  {b.clipIds.length === 0 && <> ({t('claim.codeNoClip')})</>}
                </span>
              ))
            )}
          </li>
        ))}
      </ul>
      {offered.length === 0 ? (
        <p className="panel__help" data-testid="photo-drop-none">
          {t('claimFind.noClip')}
        </p>
      ) : (
        <>
          <p className="panel__help">{t('claimFind.offer', { count: offered.length })}</p>
          <ul className="photo-drop__clips">
            {offered.map((id) => {
              const clip = clips.get(id);
              return (
                <li key={id}>
                  <button type="button" className="button button--primary" data-testid="photo-drop-clip" data-clip-id={id} onClick={() => onOpen(id)}>
                    {t('claimFind.openClip', { id })}
                  </button>{' '}
                  {clip && (
                    <span className="photo-drop__clip-facts">
                      <time dateTime={clip.startedAt}>{formatDateTime(clip.startedAt, lng)}</time> {clip.codes.join(' · ')}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
