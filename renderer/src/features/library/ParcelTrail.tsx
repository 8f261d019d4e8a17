import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { Clip, ClipMode, RelatedClip } from '../../../../shared/api';
import { clipHash } from '../../app/routing';
import { currentLanguage } from '../../i18n';

/**
 * The parcel's way from packing to hand-over, one line: "Packed 09:12 at Bench 3, handed
 * over 16:40 at Dispatch". This clip and the same parcel's clips in other modes (Clip.related), in
 * time order; the others are links to their clip pages. Bench names are the station's settings:
 * React escapes them like any text.
 */
export function ParcelTrail({ clip }: { clip: Clip }) {
  const { t } = useTranslation();
  const related = clip.related ?? [];
  if (!related.length) return null;
  const lng = currentLanguage();
  const day = (iso: string): string => new Date(iso).toDateString();
  const steps: Array<RelatedClip & { self: boolean }> = [{ ...clip, self: true }, ...related.map((r) => ({ ...r, self: false }))].sort(
    (a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id - b.id,
  );
  const when = (iso: string): string =>
    new Intl.DateTimeFormat(lng, {
      ...(day(iso) === day(clip.startedAt) ? {} : { month: 'short', day: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  const phrase = (mode: ClipMode, first: boolean, time: string, station: string): string =>
    t(`parcelTrail.${mode}`, { time, station }).replace(/^./, (c) => (first ? c.toLocaleUpperCase(lng) : c));
  return (
    <p className="parcel-trail" data-testid="parcel-trail">
      {steps.map((s, i) => (
        <Fragment key={s.id}>
          {i > 0 && t('parcelTrail.separator')}
          {s.self ? (
            <span className="parcel-trail__self" data-testid="parcel-trail-self" title={t('parcelTrail.thisClip')}>
              {phrase(s.mode, i === 0, when(s.startedAt), s.station)}
            </span>
          ) : (
            <a href={clipHash(s.id)} data-testid="parcel-trail-link" data-clip-id={s.id} data-mode={s.mode} title={s.codes.join(' · ')}>
              {phrase(s.mode, i === 0, when(s.startedAt), s.station)}
            </a>
          )}
        </Fragment>
      ))}
    </p>
  );
}
