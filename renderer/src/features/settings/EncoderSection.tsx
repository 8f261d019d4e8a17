/**
 * Video encoding: which H.264 encoder records now, and whether recording may use a
 * hardware one. Each choice shows its test encode on this PC, so the operator sees why 'auto' picked
 * libx264. Saving restarts the recording run, like a camera change.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EncoderSettings, HardwareEncoderName, type EncoderSettingsResponse, type EncoderTestResult } from '../../../../shared/api';
import { api } from '../../api/client';
import { Field, SectionCard } from './SettingsCard';
import { useSection } from './use-section';

export function EncoderSection() {
  const { t } = useTranslation();
  // The GET answers more than the PUT stores (codec in use, test results): kept beside the draft.
  const [facts, setFacts] = useState<EncoderSettingsResponse | null>(null);
  const s = useSection(
    EncoderSettings,
    async (): Promise<EncoderSettings> => {
      const v = await api.encoderSettings();
      setFacts(v);
      return { hardwareEncoder: v.hardwareEncoder };
    },
    async (d: EncoderSettings): Promise<EncoderSettings> => {
      const v = await api.saveEncoderSettings(d.hardwareEncoder);
      setFacts(v);
      return { hardwareEncoder: v.hardwareEncoder };
    },
  );
  // A hardware encoder that fails at start falls back a moment after the PUT answers: look again shortly.
  const saved = s.saveState.kind === 'saved';
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => void api.encoderSettings().then(setFacts, () => undefined), 3_000);
    return () => clearTimeout(timer);
  }, [saved]);

  const d = s.draft;
  const tests = new Map((facts?.tests ?? []).map((r) => [r.encoder, r]));
  const codec = facts?.inUse;
  return (
    <SectionCard id="encoder" title={t('encoder.title')} section={s}>
      {d && (
        <>
          <p className="settings__note" data-testid="encoder-in-use">
            {t('encoder.inUse', {
              codec: codec ? `${codec} (${codec === 'libx264' ? t('encoder.software') : t('encoder.hardware')})` : t('encoder.restarting'),
            })}
          </p>
          <Field label={t('encoder.choice')} error={s.errors.hardwareEncoder}>
            <select className="field-input" data-testid="encoder-select" value={d.hardwareEncoder} onChange={(e) => s.setDraft({ hardwareEncoder: e.target.value as EncoderSettings['hardwareEncoder'] })}>
              <option value="auto">{t('encoder.auto')}</option>
              <option value="off">{t('encoder.off')}</option>
              {HardwareEncoderName.options.map((name) => (
                <option key={name} value={name} data-testid={`encoder-option-${name}`}>
                  {name} — {testText(tests.get(name), t)}
                </option>
              ))}
            </select>
          </Field>
          <p className="settings__note">{t('encoder.help')}</p>
        </>
      )}
    </SectionCard>
  );
}

function testText(r: EncoderTestResult | undefined, t: ReturnType<typeof useTranslation>['t']): string {
  if (!r) return t('encoder.untested');
  if (r.ok) return t('encoder.works');
  if (!r.compiled) return t('encoder.notCompiled');
  return t('encoder.fails', { reason: r.error ?? '?' });
}
