/**
 * Export presets: the platforms the export panel offers, with their size and length
 * limits, whether the platform publishes those limits, and a note in both languages. Built-in presets
 * can be edited and reset to what the station ships; the operator's own can be added and deleted.
 * Checked as typed with the station's schema; the station also refuses deleting a built-in and giving
 * "original" a limit, in one sentence.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportPresets, type ExportPreset } from '../../../../shared/api';
import { api } from '../../api/client';
import { Field, SectionCard } from './SettingsCard';
import { useSection } from './use-section';

/** A new preset's id: `custom-N`, the first N not taken. */
function newId(presets: readonly ExportPreset[]): string {
  for (let n = 1; ; n++) if (!presets.some((p) => p.id === `custom-${n}`)) return `custom-${n}`;
}

/** A limit as typed: '' is no limit; anything else a number (NaN when it is none, which the schema refuses). */
const limitValue = (v: string): number | null => (v.trim() === '' ? null : Number(v));
const limitText = (v: number | null): string => (v === null || Number.isNaN(v) ? '' : String(v));

export function ExportPresetsSection() {
  const { t } = useTranslation();
  const s = useSection(ExportPresets, api.exportPresets, api.saveExportPresets);
  const [defaults, setDefaults] = useState<ExportPreset[] | null>(null);
  // Bumped by a reset, so the limit fields (uncontrolled, so "1." can be typed on the way to 1.5) show the defaults.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    api.exportPresetDefaults().then(setDefaults, () => undefined);
  }, []);
  const d = s.draft;
  if (!d) return <SectionCard id="export-presets" title={t('settings.presets.title')} section={s}>{null}</SectionCard>;

  const set = (i: number, patch: Partial<ExportPreset>) => s.setDraft(d.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const err = (i: number, field: string) => s.errors[`${i}.${field}`];

  return (
    <SectionCard id="export-presets" title={t('settings.presets.title')} section={s}>
      <p className="settings__note">{t('settings.presets.help')}</p>
      {s.errors[''] && <p className="settings__error">{s.errors['']}</p>}
      <ol className="settings-presets" data-testid="presets">
        {d.map((p, i) => {
          const shipped = defaults?.find((x) => x.id === p.id);
          const builtIn = shipped !== undefined;
          const original = p.id === 'original';
          const tid = `preset-${p.id}`;
          return (
            <li key={`${p.id}:${generation}`} className="settings-preset" data-testid={tid} data-built-in={String(builtIn)}>
              <p className="settings-preset__kind">
                <code>{p.id}</code>
                {defaults && ` · ${builtIn ? t('settings.presets.builtIn') : t('settings.presets.own')}`}
              </p>
              <div className="settings__grid">
                <Field label={t('settings.presets.nameZh')} error={err(i, 'name.zh-CN')} testId={`${tid}-name-zh`}>
                  <input className="field-input" data-testid={`${tid}-name-zh`} value={p.name['zh-CN']} onChange={(e) => set(i, { name: { ...p.name, 'zh-CN': e.target.value } })} />
                </Field>
                <Field label={t('settings.presets.nameEn')} error={err(i, 'name.en')} testId={`${tid}-name-en`}>
                  <input className="field-input" data-testid={`${tid}-name-en`} value={p.name.en} onChange={(e) => set(i, { name: { ...p.name, en: e.target.value } })} />
                </Field>
                <Field label={t('settings.presets.maxMb')} error={err(i, 'maxMb')} testId={`${tid}-max-mb`}>
                  <input
                    className="field-input"
                    data-testid={`${tid}-max-mb`}
                    inputMode="decimal"
                    disabled={original}
                    placeholder={t('export.noLimit')}
                    defaultValue={limitText(p.maxMb)}
                    onChange={(e) => set(i, { maxMb: limitValue(e.target.value) })}
                  />
                </Field>
                <Field label={t('settings.presets.maxSeconds')} error={err(i, 'maxSeconds')} testId={`${tid}-max-seconds`}>
                  <input
                    className="field-input"
                    data-testid={`${tid}-max-seconds`}
                    inputMode="decimal"
                    disabled={original}
                    placeholder={t('export.noLimit')}
                    defaultValue={limitText(p.maxSeconds)}
                    onChange={(e) => set(i, { maxSeconds: limitValue(e.target.value) })}
                  />
                </Field>
              </div>
              <div className="settings-preset__notes">
                <Field label={t('settings.presets.noteZh')} error={err(i, 'note.zh-CN')} testId={`${tid}-note-zh`}>
                  <input className="field-input" data-testid={`${tid}-note-zh`} value={p.note['zh-CN']} onChange={(e) => set(i, { note: { ...p.note, 'zh-CN': e.target.value } })} />
                </Field>
                <Field label={t('settings.presets.noteEn')} error={err(i, 'note.en')} testId={`${tid}-note-en`}>
                  <input className="field-input" data-testid={`${tid}-note-en`} value={p.note.en} onChange={(e) => set(i, { note: { ...p.note, en: e.target.value } })} />
                </Field>
              </div>
              {original ? (
                <p className="settings__note">{t('settings.presets.originalFixed')}</p>
              ) : (
                <div className="settings-preset__checks">
                  <label className="settings-check">
                    <input type="checkbox" data-testid={`${tid}-published`} checked={p.published} onChange={(e) => set(i, { published: e.target.checked })} />
                    {t('settings.presets.published')}
                  </label>
                  <label className="settings-check">
                    <input type="checkbox" data-testid={`${tid}-images-only`} checked={p.imagesOnly} onChange={(e) => set(i, { imagesOnly: e.target.checked })} />
                    {t('settings.presets.imagesOnly')}
                  </label>
                </div>
              )}
              <div className="settings-preset__buttons">
                {!defaults ? null : builtIn ? (
                  <button
                    type="button"
                    className="button"
                    data-testid={`${tid}-reset`}
                    disabled={JSON.stringify(shipped) === JSON.stringify(p)}
                    onClick={() => {
                      s.setDraft(d.map((x, j) => (j === i ? { ...shipped } : x)));
                      setGeneration((g) => g + 1);
                    }}
                  >
                    {t('settings.presets.reset')}
                  </button>
                ) : (
                  <button type="button" className="button" data-testid={`${tid}-delete`} onClick={() => s.setDraft(d.filter((_, j) => j !== i))}>
                    {t('settings.presets.delete')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button"
        data-testid="add-preset"
        onClick={() => s.setDraft([...d, { id: newId(d), name: { 'zh-CN': '', en: '' }, maxMb: null, maxSeconds: null, imagesOnly: false, published: false, note: { 'zh-CN': '', en: '' } }])}
      >
        {t('settings.presets.add')}
      </button>
    </SectionCard>
  );
}
