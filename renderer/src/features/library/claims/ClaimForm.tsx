import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Claim } from '../../../../../shared/api';
import { api } from '../../../api/client';
import { operatorName } from '../operator';

/** What the station takes (shared/api.ts ClaimFields, limits.ts CLAIM_MAX_PHOTOS): checked here first so nothing big is sent in vain. */
export const CLAIM_PHOTOS_MAX = 9;
const PLATFORM_MAX = 40;
const CLAIM_NUMBER_MAX = 80;
const BUYER_WORDS_MAX = 2000;

/** Suggestions only: the field takes any platform name. */
const PLATFORMS = ['淘宝 Taobao', '天猫 Tmall', '拼多多 Pinduoduo', '京东 JD', '抖音 Douyin', '快手 Kuaishou', '微信小店 WeChat Shop', 'Shopee', 'TikTok Shop', 'Amazon', 'eBay'];

/**
 * Adding a claim: the buyer's photos (up to 9) and optional video, the platform, the claim number and
 * what the buyer wrote, sent as multipart. The station reads and matches every file before it answers,
 * so the button says it is checking; a refusal is the station's one sentence, and the form keeps its input.
 */
export function ClaimForm({ clipId, initialPhotos, onAdded, onCancel }: { clipId: number; initialPhotos?: File[]; onAdded: (c: Claim) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const photosRef = useRef<HTMLInputElement>(null);
  const videoRef = useRef<HTMLInputElement>(null);
  const [photos, setPhotos] = useState<File[]>(initialPhotos ?? []);
  const photoCount = photos.length;

  // Photos handed over from the library show in the file field as if chosen there (a DataTransfer's
  // file list is the only kind an input takes); the form sends `photos` either way.
  useEffect(() => {
    if (!initialPhotos?.length || !photosRef.current) return;
    try {
      const dt = new DataTransfer();
      for (const f of initialPhotos) dt.items.add(f);
      photosRef.current.files = dt.files;
    } catch {
      // An engine without a DataTransfer constructor: the list under the field names the photos.
    }
  }, [initialPhotos]);
  const [hasVideo, setHasVideo] = useState(false);
  const [platform, setPlatform] = useState('');
  const [claimNumber, setClaimNumber] = useState('');
  const [buyerWords, setBuyerWords] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const tooMany = photoCount > CLAIM_PHOTOS_MAX;
  const nothing = photoCount === 0 && !hasVideo;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (tooMany || nothing || busy) return;
    const form = new FormData();
    // Text fields first: the station reads the parts in order.
    if (platform.trim()) form.append('platform', platform.trim());
    if (claimNumber.trim()) form.append('claimNumber', claimNumber.trim());
    if (buyerWords.trim()) form.append('buyerWords', buyerWords.trim());
    for (const f of photos) form.append('photo', f, f.name);
    const video = videoRef.current?.files?.[0];
    if (video) form.append('video', video, video.name);
    setBusy(true);
    setError(null);
    try {
      onAdded(await api.addClaim(clipId, form, operatorName()));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="claim-form" data-testid="claim-form" onSubmit={(e) => void submit(e)}>
      <label className="claim-form__field">
        <span>{t('claim.photos', { max: CLAIM_PHOTOS_MAX })}</span>
        <input
          ref={photosRef}
          type="file"
          multiple
          accept="image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
          data-testid="claim-photos"
          disabled={busy}
          onChange={(e) => setPhotos([...(e.currentTarget.files ?? [])])}
        />
      </label>
      {initialPhotos?.length && photos === initialPhotos ? (
        <p className="panel__help" data-testid="claim-photos-handed">
          {t('claim.photosFromLibrary', { names: photos.map((f) => f.name).join('、') })}
        </p>
      ) : null}
      {tooMany && (
        <p className="panel__error" role="alert" data-testid="claim-too-many">
          {t('claim.tooManyPhotos', { max: CLAIM_PHOTOS_MAX, count: photoCount })}
        </p>
      )}
      <label className="claim-form__field">
        <span>{t('claim.video')}</span>
        <input ref={videoRef} type="file" accept="video/mp4,video/quicktime,.mp4,.mov" data-testid="claim-video" disabled={busy} onChange={(e) => setHasVideo((e.currentTarget.files?.length ?? 0) > 0)} />
      </label>
      <div className="claim-form__row">
        <label className="claim-form__field">
          <span>{t('claim.platform')}</span>
          <input className="field-input" list="claim-platforms" maxLength={PLATFORM_MAX} value={platform} data-testid="claim-platform" disabled={busy} onChange={(e) => setPlatform(e.target.value)} />
          <datalist id="claim-platforms">
            {PLATFORMS.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </label>
        <label className="claim-form__field">
          <span>{t('claim.claimNumber')}</span>
          <input className="field-input" maxLength={CLAIM_NUMBER_MAX} value={claimNumber} data-testid="claim-number" disabled={busy} onChange={(e) => setClaimNumber(e.target.value)} />
        </label>
      </div>
      <label className="claim-form__field">
        <span>{t('claim.buyerWords')}</span>
        <textarea className="field-input" rows={3} maxLength={BUYER_WORDS_MAX} value={buyerWords} placeholder={t('claim.buyerWordsPlaceholder')} data-testid="claim-buyer-words" disabled={busy} onChange={(e) => setBuyerWords(e.target.value)} />
      </label>
      <div className="claim-form__actions">
        <button type="submit" className="button button--primary" data-testid="claim-submit" disabled={busy || tooMany || nothing}>
          {busy ? t('claim.checking') : t('claim.submit')}
        </button>
        <button type="button" className="button button--quiet" disabled={busy} onClick={onCancel}>
          {t('claim.cancel')}
        </button>
      </div>
      {busy && (
        <p className="panel__help" role="status" data-testid="claim-busy">
          {t('claim.checkingHelp')}
        </p>
      )}
      {error && (
        <p className="panel__error" role="alert" data-testid="claim-error">
          {error}
        </p>
      )}
    </form>
  );
}
