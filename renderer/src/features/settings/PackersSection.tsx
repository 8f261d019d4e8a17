/**
 * Packers: the name printed on each badge, and the sheet of badges to print. A packer signs in by
 * scanning their badge (a scan rule of kind `packer`, PK-… by default); the station checks a new code
 * against its own rules, so no badge is printed that would start a clip instead.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PackerCreate, PackerName, type Packer } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { currentLanguage } from '../../i18n';
import { issueText, parseOptions } from '../../i18n/schema-errors';
import { BadgeSheet } from './BadgeSheet';
import { Field, SectionCard } from './SettingsCard';

export function PackersSection() {
  const { t } = useTranslation();
  const [packers, setPackers] = useState<Packer[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState('PK-');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [sheet, setSheet] = useState(false);

  useEffect(() => {
    api.packers().then(
      (r) => setPackers(r.packers),
      (err: unknown) => setError(message(err)),
    );
  }, []);

  // Checked as typed with the station's own schema, in the UI's language.
  const parsed = PackerCreate.safeParse({ code, name }, parseOptions(currentLanguage()));
  const fieldError = (field: 'code' | 'name'): string | undefined => {
    if (parsed.success || (field === 'name' && name === '') || (field === 'code' && code === 'PK-')) return undefined;
    const issue = parsed.error.issues.find((i) => i.path[0] === field);
    return issue ? issueText(issue, t) : undefined;
  };

  const run = async (op: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await op();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const add = (): Promise<void> =>
    run(async () => {
      if (!parsed.success) return;
      const p = await api.addPacker(parsed.data);
      setPackers((list) => [...(list ?? []).filter((x) => x.code !== p.code), p].sort((a, b) => a.code.localeCompare(b.code)));
      setCode('PK-');
      setName('');
    });

  return (
    <SectionCard id="packers" title={t('packers.title')}>
      <p className="settings__note">{t('packers.help')}</p>
      {error && (
        <p className="settings__error" role="alert" data-testid="packers-error">
          {error}
        </p>
      )}
      {packers === null && !error && <p className="settings__note">…</p>}
      {packers && packers.length === 0 && (
        <p className="settings__note" data-testid="packers-empty">
          {t('packers.empty')}
        </p>
      )}
      {packers && packers.length > 0 && (
        <ul className="packers__list" data-testid="packers-list">
          {packers.map((p) => (
            <PackerRow
              key={p.code}
              packer={p}
              busy={busy}
              onRename={(newName) =>
                run(async () => {
                  const next = await api.renamePacker(p.code, newName);
                  setPackers((list) => (list ?? []).map((x) => (x.code === next.code ? next : x)));
                })
              }
              onRemove={() => run(async () => setPackers((await api.removePacker(p.code)).packers))}
            />
          ))}
        </ul>
      )}
      <div className="packers__add">
        <Field label={t('packers.code')} error={fieldError('code')} testId="packer-code">
          <input className="field-input mono" data-testid="packer-code" value={code} maxLength={64} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <Field label={t('packers.name')} error={fieldError('name')} testId="packer-name">
          <input className="field-input" data-testid="packer-name" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
        </Field>
      </div>
      <div className="settings-card__actions">
        <button type="button" className="settings__save" data-testid="packer-add" disabled={!parsed.success || busy} onClick={() => void add()}>
          {t('packers.add')}
        </button>
        <button type="button" className="button" data-testid="packers-print" disabled={!packers?.length} onClick={() => setSheet(true)}>
          {t('packers.print')}
        </button>
      </div>
      {sheet && packers && <BadgeSheet packers={packers} onClose={() => setSheet(false)} />}
    </SectionCard>
  );
}

function PackerRow({ packer, busy, onRename, onRemove }: { packer: Packer; busy: boolean; onRename: (name: string) => Promise<void>; onRemove: () => Promise<void> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(packer.name);
  const parsed = PackerName.safeParse(draft, parseOptions(currentLanguage()));
  const changed = parsed.success && parsed.data !== packer.name;
  return (
    <li className="packers__row" data-testid="packer-row" data-code={packer.code}>
      <span className="packers__code mono">{packer.code}</span>
      <input className="field-input" aria-label={t('packers.name')} data-testid="packer-row-name" value={draft} maxLength={40} onChange={(e) => setDraft(e.target.value)} />
      <button type="button" className="button" data-testid="packer-rename" disabled={!changed || busy} onClick={() => parsed.success && void onRename(parsed.data)}>
        {t('packers.rename')}
      </button>
      <button type="button" className="button" data-testid="packer-remove" disabled={busy} onClick={() => void onRemove()}>
        {t('packers.remove')}
      </button>
      {!parsed.success && (
        <span className="settings-field__error" role="alert">
          {issueText(parsed.error.issues[0]!, t)}
        </span>
      )}
    </li>
  );
}

function message(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}
