import { useTranslation } from 'react-i18next';

/**
 * The big indicator beside the preview. Three looks, because the packer reads it from across the
 * bench: a red REC only while an order's clip is open (this parcel is being filmed for that order),
 * "Waiting for scan" on a neutral dot while the camera records but no order is open (after a stop
 * the bench must not look like it is still recording one), and "Not recording" (the banner carries
 * that alarm). `data-recording` says the camera records, `data-clip` whether an order is open.
 */
export function RecordingIndicator({ recording, clipOpen }: { recording: boolean; clipOpen: boolean }) {
  const { t } = useTranslation();
  const label = !recording ? t('recording.off') : clipOpen ? t('recording.on') : t('recording.idle');
  return (
    <div className="recording-indicator" data-testid="recording-indicator" data-recording={String(recording)} data-clip={clipOpen ? 'open' : 'none'}>
      <span className="recording-indicator__dot" aria-hidden="true" />
      <span className="recording-indicator__label">{label}</span>
    </div>
  );
}
