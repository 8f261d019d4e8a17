/** The settings screen's building blocks: a section's card with its Save button, and a labelled field. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Section } from './use-section';

/** A section's frame: title, body, and (when it can be saved) its Save button and what happened. */
export function SectionCard<T>({ id, title, section, children }: { id: string; title: string; section?: Section<T>; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="settings-card" data-testid={`settings-${id}`} aria-labelledby={`settings-${id}-title`}>
      <h2 id={`settings-${id}-title`} className="settings-card__title">
        {title}
      </h2>
      {section?.loadError ? (
        <p className="settings__error" role="alert" data-testid={`settings-${id}-load-error`}>
          {t('settings.loadFailed', { message: section.loadError })}
        </p>
      ) : section && section.draft === null ? (
        <p className="settings__note">…</p>
      ) : (
        children
      )}
      {section && section.draft !== null && (
        <div className="settings-card__actions">
          <button
            type="button"
            className="settings__save"
            data-testid={`settings-${id}-save`}
            disabled={!section.valid || section.saveState.kind === 'saving'}
            onClick={() => void section.save()}
          >
            {section.saveState.kind === 'saving' ? t('settings.saving') : t('settings.save')}
          </button>
          <span className="settings__feedback" role="status" data-testid={`settings-${id}-feedback`} data-state={section.saveState.kind}>
            {section.saveState.kind === 'saved' && t('settings.saved')}
            {section.saveState.kind === 'failed' && t('settings.saveFailed', { message: section.saveState.message })}
            {section.saveState.kind !== 'failed' && !section.valid && t('settings.invalid')}
          </span>
        </div>
      )}
    </section>
  );
}

/** A labelled input with the schema's complaint under it. */
export function Field({ label, error, children, testId }: { label: string; error?: string; children: ReactNode; testId?: string }) {
  return (
    <label className="settings-field" data-invalid={error ? 'true' : undefined}>
      <span className="settings-field__label">{label}</span>
      {children}
      {error && (
        <span className="settings-field__error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </span>
      )}
    </label>
  );
}

