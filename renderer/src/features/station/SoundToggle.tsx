import { useTranslation } from 'react-i18next';
import { unlockAudio, useSoundSetting } from './sounds';

export function SoundToggle() {
  const { t } = useTranslation();
  const enabled = useSoundSetting((s) => s.enabled);
  const setEnabled = useSoundSetting((s) => s.setEnabled);
  return (
    <button
      type="button"
      className="toolbar-button sound-toggle"
      data-testid="sound-toggle"
      aria-pressed={enabled}
      onClick={() => {
        unlockAudio();
        setEnabled(!enabled);
      }}
    >
      {enabled ? t('sound.on') : t('sound.off')}
    </button>
  );
}
