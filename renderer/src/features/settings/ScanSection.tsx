/**
 * Clip lengths, command codes and the classification rules, with a live tester: "this code would
 * be: waybill (rule SF Express)" as the operator types.
 *
 * The tester asks the station (POST /api/settings/scan/test with the rules as typed, unsaved) rather
 * than running a copy of the classifier here: the station's classifier also cleans scanner junk
 * (symbology prefixes, control characters) and applies the command codes, so asking it is the only
 * way the answer is exactly what a scan will do, and the renderer imports nothing from the station
 * core (the process boundary test keeps it so). It is a local request of a few milliseconds.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScanSettings, type CommandName, type RuleKind, type ScanRule, type ScanTestResult } from '../../../../shared/api';
import { api } from '../../api/client';
import { Field, SectionCard } from './SettingsCard';
import { useSection } from './use-section';

const KINDS: RuleKind[] = ['order', 'waybill', 'item', 'command', 'ignore', 'packer'];
const COMMANDS: CommandName[] = ['stop', 'cancel', 'pack', 'return', 'ship'];
/** Wait for a pause in typing before asking the station. */
const TEST_DEBOUNCE_MS = 150;

export function ScanSection() {
  const { t } = useTranslation();
  const s = useSection(ScanSettings, api.scanSettings, api.saveScanSettings);
  const d = s.draft;
  const [code, setCode] = useState('');
  const [result, setResult] = useState<ScanTestResult | { error: string } | null>(null);

  useEffect(() => {
    if (!d || code === '') {
      setResult(null);
      return;
    }
    if (!s.valid) {
      setResult({ error: Object.values(s.errors)[0] ?? t('settings.invalid') });
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api.testScan(code, d, abort.signal).then(setResult, (err: unknown) => {
        if (!abort.signal.aborted) setResult({ error: err instanceof Error ? err.message : String(err) });
      });
    }, TEST_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [code, d, s.valid, s.errors, t]);

  if (!d) return <SectionCard id="scan" title={t('settings.scan.title')} section={s}>{null}</SectionCard>;
  const seconds = (ms: number) => (Number.isNaN(ms) ? '' : ms / 1000);
  const toMs = (v: string, unit: number) => (v === '' ? Number.NaN : Math.round(Number(v) * unit));
  const setRule = (i: number, patch: Partial<ScanRule>) => s.setDraft({ ...d, rules: d.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const move = (i: number, by: number) => {
    const rules = [...d.rules];
    const [r] = rules.splice(i, 1);
    rules.splice(i + by, 0, r!);
    s.setDraft({ ...d, rules });
  };

  return (
    <SectionCard id="scan" title={t('settings.scan.title')} section={s}>
      <div className="settings__grid">
        <Field label={t('settings.scan.preRoll')} error={s.errors.preRollMs}>
          <input className="field-input" type="number" min={0} max={30} step={0.5} data-testid="pre-roll" value={seconds(d.preRollMs)} onChange={(e) => s.setDraft({ ...d, preRollMs: toMs(e.target.value, 1000) })} />
        </Field>
        <Field label={t('settings.scan.postRoll')} error={s.errors.postRollMs}>
          <input className="field-input" type="number" min={0} max={30} step={0.5} value={seconds(d.postRollMs)} onChange={(e) => s.setDraft({ ...d, postRollMs: toMs(e.target.value, 1000) })} />
        </Field>
        <Field label={t('settings.scan.maxClip')} error={s.errors.maxClipMs}>
          <input
            className="field-input"
            type="number"
            min={1}
            max={240}
            step={1}
            value={Number.isNaN(d.maxClipMs) ? '' : d.maxClipMs / 60_000}
            onChange={(e) => s.setDraft({ ...d, maxClipMs: toMs(e.target.value, 60_000) })}
          />
        </Field>
        <Field label={t('settings.scan.idleStop')} error={s.errors.idleStopMs} testId="idle-stop">
          <input
            className="field-input"
            type="number"
            min={0}
            max={4 * 3600}
            step={1}
            data-testid="idle-stop"
            value={seconds(d.idleStopMs)}
            onChange={(e) => s.setDraft({ ...d, idleStopMs: toMs(e.target.value, 1000) })}
          />
        </Field>
      </div>

      {/* What a scan of a code already on the clip does, and the windows around it. */}
      <h3 className="settings-card__subtitle">{t('settings.scan.repeats')}</h3>
      <div className="settings__grid">
        <Field label={t('settings.scan.repeatScan')} error={s.errors.repeatScan}>
          <select className="field-input" data-testid="repeat-scan" value={d.repeatScan} onChange={(e) => s.setDraft({ ...d, repeatScan: e.target.value as ScanSettings['repeatScan'] })}>
            <option value="ignore">{t('settings.scan.repeatIgnore')}</option>
            <option value="stop">{t('settings.scan.repeatStop')}</option>
          </select>
        </Field>
        <Field label={t('settings.scan.doubleScan')} error={s.errors.doubleScanMs} testId="double-scan-ms">
          <input
            className="field-input"
            type="number"
            min={0}
            max={10_000}
            step={100}
            data-testid="double-scan-ms"
            value={Number.isNaN(d.doubleScanMs) ? '' : d.doubleScanMs}
            onChange={(e) => s.setDraft({ ...d, doubleScanMs: toMs(e.target.value, 1) })}
          />
        </Field>
        <Field label={t('settings.scan.duplicateWindow')} error={s.errors.duplicateWindowDays} testId="duplicate-window-days">
          <input
            className="field-input"
            type="number"
            min={0}
            max={365}
            step={1}
            data-testid="duplicate-window-days"
            value={Number.isNaN(d.duplicateWindowDays) ? '' : d.duplicateWindowDays}
            onChange={(e) => s.setDraft({ ...d, duplicateWindowDays: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
          />
        </Field>
      </div>
      <label className="settings-check">
        <input type="checkbox" data-testid="attach-waybill" checked={d.attachWaybill} onChange={(e) => s.setDraft({ ...d, attachWaybill: e.target.checked })} />
        {t('settings.scan.attachWaybill')}
      </label>
      <p className="settings__note">{t('settings.scan.repeatsNote')}</p>

      <h3 className="settings-card__subtitle">{t('settings.scan.commands')}</h3>
      <div className="settings__grid">
        {COMMANDS.map((c) => (
          <Field key={c} label={t(`settings.scan.command.${c}`)} error={s.errors[`commands.${c}`]}>
            <input className="field-input" value={d.commands[c]} onChange={(e) => s.setDraft({ ...d, commands: { ...d.commands, [c]: e.target.value } })} />
          </Field>
        ))}
      </div>
      {s.errors.commands && <p className="settings__error">{s.errors.commands}</p>}

      {/* Hand-over: the bench where parcels are handed to the courier. */}
      <h3 className="settings-card__subtitle">{t('settings.scan.dispatch')}</h3>
      <label className="settings-check">
        <input type="checkbox" data-testid="dispatch-point" checked={d.dispatchPoint} onChange={(e) => s.setDraft({ ...d, dispatchPoint: e.target.checked })} />
        {t('settings.scan.dispatchPoint')}
      </label>
      <div className="settings__grid">
        <Field label={t('settings.scan.handoverClip')} error={s.errors.handoverClipMs} testId="handover-clip">
          <input
            className="field-input"
            type="number"
            min={5}
            max={600}
            step={1}
            data-testid="handover-clip"
            value={seconds(d.handoverClipMs)}
            onChange={(e) => s.setDraft({ ...d, handoverClipMs: toMs(e.target.value, 1000) })}
          />
        </Field>
      </div>
      <p className="settings__note">{t('settings.scan.dispatchNote')}</p>

      {/* The wrong barcode: a product code never starts an order, unless the shop packs before the label. */}
      <h3 className="settings-card__subtitle">{t('settings.scan.startOnTitle')}</h3>
      <div className="settings__grid">
        <Field label={t('settings.scan.startOn')} error={s.errors.startOn}>
          <select className="field-input" data-testid="start-on" value={d.startOn} onChange={(e) => s.setDraft({ ...d, startOn: e.target.value as ScanSettings['startOn'] })}>
            <option value="order">{t('settings.scan.startOnOrder')}</option>
            <option value="item">{t('settings.scan.startOnItem')}</option>
          </select>
        </Field>
      </div>
      <p className="settings__note">{t('settings.scan.startOnNote')}</p>

      <div className="settings-tester" data-testid="scan-tester">
        <Field label={t('settings.scan.tester')}>
          <input className="field-input settings-tester__input" data-testid="scan-tester-input" data-scanner="field" value={code} placeholder={t('settings.scan.testerPlaceholder')} spellCheck={false} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <p className="settings-tester__result" role="status" data-testid="scan-tester-result" data-kind={result && 'kind' in result ? result.kind : result ? 'error' : ''}>
          {result && describe(result, t, d.startOn)}
        </p>
      </div>

      <h3 className="settings-card__subtitle">{t('settings.scan.rules')}</h3>
      <ol className="settings-rules" data-testid="rules">
        {d.rules.map((r, i) => (
          <li key={i} className="settings-rule" data-testid={`rule-${i}`}>
            <Field label={t('settings.scan.ruleName')} error={s.errors[`rules.${i}.name`]}>
              <input className="field-input" data-testid={`rule-${i}-name`} value={r.name} onChange={(e) => setRule(i, { name: e.target.value })} />
            </Field>
            <Field label={t('settings.scan.ruleKind')}>
              <select className="field-input" value={r.kind} onChange={(e) => setRule(i, { kind: e.target.value as RuleKind })}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`settings.scan.kind.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('settings.scan.rulePattern')} error={s.errors[`rules.${i}.pattern`]} testId={`rule-${i}-pattern`}>
              <input className="field-input settings-rule__pattern" data-testid={`rule-${i}-pattern`} value={r.pattern} spellCheck={false} onChange={(e) => setRule(i, { pattern: e.target.value })} />
            </Field>
            <label className="settings-check">
              <input type="checkbox" data-testid={`rule-${i}-gs1`} checked={r.check === 'gs1'} onChange={(e) => setRule(i, { check: e.target.checked ? 'gs1' : undefined })} />
              {t('settings.scan.ruleCheck')}
            </label>
            <div className="settings-rule__buttons">
              <button type="button" className="button" disabled={i === 0} aria-label={t('settings.scan.up')} title={t('settings.scan.up')} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button type="button" className="button" disabled={i === d.rules.length - 1} aria-label={t('settings.scan.down')} title={t('settings.scan.down')} onClick={() => move(i, 1)}>
                ↓
              </button>
              <button type="button" className="button" onClick={() => s.setDraft({ ...d, rules: d.rules.filter((_, j) => j !== i) })}>
                {t('settings.scan.remove')}
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" className="button" data-testid="add-rule" onClick={() => s.setDraft({ ...d, rules: [{ name: '', kind: 'waybill', pattern: '' }, ...d.rules] })}>
        {t('settings.scan.addRule')}
      </button>
    </SectionCard>
  );
}

function describe(r: ScanTestResult | { error: string }, t: ReturnType<typeof useTranslation>['t'], startOn: ScanSettings['startOn']): string {
  if ('error' in r) return r.error;
  switch (r.kind) {
    case 'item':
      return t(startOn === 'item' ? 'settings.scan.wouldItemSkuFirst' : 'settings.scan.wouldItem', { rule: r.rule ?? '' });
    case 'packer':
      return t('settings.scan.wouldPacker', { rule: r.rule ?? '' });
    case 'order':
    case 'waybill':
      return t('settings.scan.would', { kind: t(`settings.scan.kind.${r.kind}`), rule: r.rule ?? '' });
    case 'command':
      return t('settings.scan.wouldCommand', { command: t(`settings.scan.command.${(r.rule ?? 'stop') as CommandName}`) });
    case 'ignore':
      return t('settings.scan.wouldIgnore', { rule: r.rule ?? '' });
    default:
      return t('settings.scan.wouldInvalid', { reason: r.reason ?? '' });
  }
}
