import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { OrderField, type OrderColumnMapping, type OrderFileImportResponse, type OrderFilePreview } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { languageFor } from '../../i18n';
import { messageText } from '../../i18n/refusal-text';
import { Field, SectionCard } from './SettingsCard';

const FIELDS = OrderField.options;
/** Skipped rows listed on screen; the rest are counted (the CLI lists them all). */
const SHOWN_SKIPPED = 20;

type State =
  | { kind: 'idle' }
  | { kind: 'reading'; file: File }
  | { kind: 'preview'; file: File; preview: OrderFilePreview; mapping: OrderColumnMapping; platform: string }
  | { kind: 'importing'; file: File; preview: OrderFilePreview; mapping: OrderColumnMapping; platform: string }
  | { kind: 'done'; name: string; result: OrderFileImportResponse };

/**
 * Orders from a shop's export: drop or choose the file, see its first rows and which column
 * the station reads each field from (this source's remembered mapping, else the built-in guesses),
 * change what is wrong, import. Everything shown from the file is text: React escapes it.
 */
export function OrderImportSection() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const choose = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setError(null);
    setState({ kind: 'reading', file });
    try {
      const preview = await api.previewOrderFile(file);
      setState({ kind: 'preview', file, preview, mapping: preview.mapping, platform: '' });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setState({ kind: 'idle' });
    }
  };

  const runImport = async (): Promise<void> => {
    if (state.kind !== 'preview') return;
    setError(null);
    setState({ ...state, kind: 'importing' });
    try {
      const result = await api.importOrderFile(state.file, state.mapping, state.platform);
      setState({ kind: 'done', name: state.preview.name, result });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setState({ ...state, kind: 'preview' });
    }
  };

  const onDrop = (e: DragEvent<HTMLElement>): void => {
    e.preventDefault();
    setOver(false);
    void choose(e.dataTransfer.files[0]);
  };

  const shown = state.kind === 'preview' || state.kind === 'importing' ? state : null;
  const fieldOf = (header: string): OrderField | undefined => (shown ? FIELDS.find((f) => shown.mapping[f] === header) : undefined);

  return (
    <SectionCard id="orders" title={t('orderImport.title')}>
      <p className="settings__note">{t('orderImport.help')}</p>
      <div
        className="order-drop"
        data-testid="order-drop"
        data-over={over ? 'true' : undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label className="button">
          {t('orderImport.choose')}
          <input
            type="file"
            className="visually-hidden"
            accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-testid="order-file"
            disabled={state.kind === 'reading' || state.kind === 'importing'}
            onChange={(e) => {
              void choose(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        <span>{t('orderImport.drop')}</span>
      </div>
      {state.kind === 'reading' && (
        <p className="settings__note" role="status" data-testid="order-reading">
          {t('orderImport.reading', { name: state.file.name })}
        </p>
      )}
      {error && (
        <p className="settings__error" role="alert" data-testid="order-import-error">
          {t('orderImport.failed', { message: error })}
        </p>
      )}
      {shown && (
        <div data-testid="order-preview-panel">
          <p className="settings__note" data-testid="order-preview-summary">
            {t('orderImport.summary', { name: shown.preview.name, count: shown.preview.rowCount, encoding: t(`orderImport.encoding.${shown.preview.encoding}`) })}{' '}
            {shown.preview.remembered ? t('orderImport.remembered') : t('orderImport.guessed')}
          </p>
          <div className="order-mapping">
            {FIELDS.map((f) => (
              <Field key={f} label={t(`orderImport.field.${f}`)}>
                <select
                  data-testid={`order-map-${f}`}
                  value={shown.mapping[f] ?? ''}
                  disabled={state.kind === 'importing'}
                  onChange={(e) => {
                    if (state.kind !== 'preview') return;
                    const mapping = { ...state.mapping };
                    if (e.target.value) mapping[f] = e.target.value;
                    else delete mapping[f];
                    setState({ ...state, mapping });
                  }}
                >
                  <option value="">{f === 'orderNo' ? t('orderImport.chooseColumn') : t('orderImport.none')}</option>
                  {shown.preview.headers.map((h, i) =>
                    h ? (
                      <option key={`${i}-${h}`} value={h}>
                        {h}
                      </option>
                    ) : null,
                  )}
                </select>
              </Field>
            ))}
            <Field label={t('orderImport.platform')}>
              <input
                type="text"
                maxLength={64}
                placeholder={t('orderImport.platformHint')}
                data-testid="order-platform"
                value={shown.platform}
                disabled={state.kind === 'importing'}
                onChange={(e) => state.kind === 'preview' && setState({ ...state, platform: e.target.value })}
              />
            </Field>
          </div>
          <div className="order-preview">
            <table data-testid="order-preview">
              <thead>
                <tr>
                  <th scope="col">{t('orderImport.line')}</th>
                  {shown.preview.headers.map((h, i) => {
                    const f = fieldOf(h);
                    return (
                      <th scope="col" key={`${i}-${h}`} data-field={f}>
                        {h}
                        {f && <span className="order-preview__field">{t(`orderImport.field.${f}`)}</span>}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {shown.preview.rows.map((r) => (
                  <tr key={r.line}>
                    <th scope="row">{r.line}</th>
                    {shown.preview.headers.map((h, i) => (
                      <td key={`${i}-${h}`}>{r.cells[i] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="settings-card__actions">
            <button type="button" className="settings__save" data-testid="order-import" disabled={!shown.mapping.orderNo || state.kind === 'importing'} onClick={() => void runImport()}>
              {state.kind === 'importing' ? t('orderImport.importing') : t('orderImport.import', { count: shown.preview.rowCount })}
            </button>
            <button type="button" className="button" data-testid="order-import-cancel" disabled={state.kind === 'importing'} onClick={() => setState({ kind: 'idle' })}>
              {t('orderImport.cancel')}
            </button>
            {!shown.mapping.orderNo && <span className="settings__feedback">{t('orderImport.needOrderNo')}</span>}
          </div>
        </div>
      )}
      {state.kind === 'done' && (
        <div role="status" data-testid="order-import-result">
          <p className="order-import__done">{t('orderImport.done', { name: state.name, orders: state.result.orders, items: state.result.items, created: state.result.created, updated: state.result.updated })}</p>
          {state.result.skipped.length > 0 && (
            <>
              <p>{t('orderImport.skipped', { count: state.result.skipped.length })}</p>
              <ul data-testid="order-import-skipped">
                {state.result.skipped.slice(0, SHOWN_SKIPPED).map((s) => (
                  <li key={s.line}>{t('orderImport.skippedRow', { line: s.line, reason: messageText(s.text, languageFor(i18n.language, undefined), s.reason) })}</li>
                ))}
              </ul>
              {state.result.skipped.length > SHOWN_SKIPPED && <p>{t('orderImport.skippedMore', { count: state.result.skipped.length - SHOWN_SKIPPED })}</p>}
            </>
          )}
        </div>
      )}
    </SectionCard>
  );
}
