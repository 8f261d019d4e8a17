import { useTranslation } from 'react-i18next';

export function RecordingIndicator({ recording }: { recording: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="recording-indicator" data-testid="recording-indicator" data-recording={String(recording)}>
      <span className="recording-indicator__dot" aria-hidden="true" />
      <span className="recording-indicator__label">{recording ? t('recording.on') : t('recording.off')}</span>
    </div>
  );
}
