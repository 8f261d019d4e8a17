/**
 * The station's settings (operator only): one card per section, each saved on its own, each checked
 * as it is typed with the same zod schema the station checks on save (shared/api.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  CameraListSettings,
  DisplaySettings,
  MAX_CAMERAS,
  LanSettingsUpdate,
  RetentionSettings,
  StationIdentitySettings,
  type CameraEntry,
  type CamerasResponse,
  type CameraTestResult,
  type LanSettings,
  type SettingsInfo,
  type StatusResponse,
} from '../../../../shared/api';
import { parseCameraSpec } from '../../../../shared/camera-spec';
import { maskCredentials } from '../../../../shared/credentials';
import { msg, render } from '../../../../shared/messages/index';
import { currentLanguage } from '../../i18n';
import { useStationStore } from '../station/station-store';
import { api } from '../../api/client';
import { LibraryLayout } from '../library/LibraryLayout';
import { ScanSection } from './ScanSection';
import { EncoderSection } from './EncoderSection';
import { ExportPresetsSection } from './ExportPresetsSection';
import { StorageMoveSection } from './StorageMoveSection';
import { OrderImportSection } from './OrderImportSection';
import { PackersSection } from './PackersSection';
import { Field, SectionCard } from './SettingsCard';
import { useSection, type Section } from './use-section';
import { StationKeyFingerprint, useStationKey } from '../station-key/StationKeyFingerprint';

export function SettingsScreen() {
  const { t } = useTranslation();
  const [info, setInfo] = useState<SettingsInfo | null>(null);
  useEffect(() => {
    api.settingsInfo().then(setInfo, () => undefined);
  }, []);
  return (
    <LibraryLayout current="settings" title={t('settings.title')}>
      <div className="settings" data-testid="settings">
        <StationSection />
        <StationKeySection />
        <CameraSection info={info} />
        <EncoderSection />
        <ScanSection />
        <DisplaySection />
        <LanSection info={info} />
        <RetentionSection />
        <ExportPresetsSection />
        <OrderImportSection />
        <PackersSection />
        {/* Storage folder move */}
        <StorageMoveSection info={info} onInfo={setInfo} />
      </div>
    </LibraryLayout>
  );
}

function StationSection() {
  const { t } = useTranslation();
  const s = useSection(StationIdentitySettings, api.stationSettings, api.saveStationSettings);
  const d = s.draft;
  return (
    <SectionCard id="station" title={t('settings.station.title')} section={s}>
      {d && (
        <>
          <p className="settings__note">{t('settings.station.help')}</p>
          <Field label={t('settings.station.stationName')} error={s.errors.stationName} testId="station-name">
            <input className="field-input" data-testid="station-name" value={d.stationName} maxLength={80} onChange={(e) => s.setDraft({ ...d, stationName: e.target.value })} />
          </Field>
          <Field label={t('settings.station.operatorName')} error={s.errors.operatorName}>
            <input className="field-input" data-testid="operator-name-setting" value={d.operatorName} maxLength={80} onChange={(e) => s.setDraft({ ...d, operatorName: e.target.value })} />
          </Field>
        </>
      )}
    </SectionCard>
  );
}

/** The signing key: nothing to set, everything to hand on (see StationKeyFingerprint). */
function StationKeySection() {
  const { t } = useTranslation();
  const key = useStationKey();
  return (
    <SectionCard id="station-key" title={t('stationKey.title')}>
      <p className="settings__note">{t('stationKey.help')}</p>
      {key ? <StationKeyFingerprint stationKey={key} layout="block" testId="settings-station-key" /> : <p className="settings__note">…</p>}
    </SectionCard>
  );
}

const RESOLUTIONS = ['auto', '640x360', '1280x720', '1920x1080', '2560x1440', '3840x2160'];
const FRAME_RATES = [5, 10, 15, 20, 25, 30];
const RTSP = '__rtsp__';

type CameraTest = { spec: string; result: CameraTestResult | 'testing' };

/**
 * Every camera of the station, the main one first: each with its own source, name, size, rate and
 * quality, added, removed and moved here and saved together (the station restarts only the cameras
 * whose settings changed). Started with --camera, the station records what the command line says at
 * every start: the card then shows what records and why it cannot be changed here.
 */
function CameraSection({ info }: { info: SettingsInfo | null }) {
  const { t } = useTranslation();
  const s = useSection(CameraListSettings, api.cameraListSettings, api.saveCameraListSettings);
  const [cameras, setCameras] = useState<CamerasResponse['cameras']>([]);
  // The last test of each camera and the spec it tested: a result is about that spec only.
  const [tests, setTests] = useState<Record<number, CameraTest>>({});
  const [confirming, setConfirming] = useState(false);
  const status = useStationStore((st) => st.status);
  // The cameras the station saved last (what "changed" means), from the section's first load and each save.
  const [savedSpecs, setSavedSpecs] = useState<string[] | null>(null);
  useEffect(() => {
    api.cameras().then((r) => setCameras(r.cameras), () => undefined);
  }, []);
  const d = s.draft;
  useEffect(() => {
    if (d && (savedSpecs === null || s.saveState.kind === 'saved')) setSavedSpecs(d.cameras.map((c) => c.spec));
  }, [d, savedSpecs, s.saveState.kind]);
  if (info?.cli.camera) {
    return (
      <SectionCard id="camera" title={t('settings.camera.title')}>
        <p className="settings__note settings__note--warn" data-testid="camera-cli">
          {t('settings.camera.cliReadOnly')}
        </p>
        <ol className="settings__camera-list" data-testid="camera-cli-list">
          {(status?.cameras ?? (status ? [status.camera] : [])).map((c) => (
            <li key={c.id} data-testid="camera-cli-item">
              {c.name ? `${c.name} · ${c.spec}` : c.spec} ({t(`cameraState.${c.state}`)})
            </li>
          ))}
        </ol>
      </SectionCard>
    );
  }
  if (!d) return <SectionCard id="camera" title={t('settings.camera.title')} section={s}>{null}</SectionCard>;
  const list = d.cameras;
  const resultOf = (i: number): CameraTestResult | null => {
    const x = tests[i];
    return x && x.spec === list[i]?.spec && x.result !== 'testing' ? x.result : null;
  };
  const runTest = async (i: number) => {
    const spec = list[i]!.spec;
    const mine = (cur: CameraTest | undefined) => cur?.spec === spec;
    setTests((all) => ({ ...all, [i]: { spec, result: 'testing' } }));
    const result: CameraTestResult = await api.testCamera(spec).catch((err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err), ms: 0 }));
    setTests((all) => (mine(all[i]) ? { ...all, [i]: { spec, result } } : all));
  };
  const setList = (next: CameraEntry[], keepTests = true) => {
    setConfirming(false);
    if (!keepTests) setTests({});
    s.setDraft({ cameras: next });
  };
  const move = (i: number, by: -1 | 1) => {
    const next = [...list];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    setList(next, false);
  };
  const add = () => {
    const used = new Set(list.map((c) => c.spec));
    const free = cameras.find((c) => !used.has(c.spec));
    setList([...list, { spec: free?.spec ?? 'rtsp://', name: '', resolution: 'auto', fps: null, quality: 'standard' }]);
  };
  // What saving would do that the operator must agree to: record from a camera whose last
  // test failed or that was never tested, or end the clip being recorded (a new main camera).
  const untrusted = list
    .map((c, i) => ({ spec: c.spec, result: resultOf(i) }))
    .filter((c) => savedSpecs !== null && !savedSpecs.includes(c.spec) && c.spec !== 'auto' && c.spec !== 'demo' && c.result?.ok !== true);
  const mainChanged = savedSpecs !== null && list[0]!.spec !== savedSpecs[0];
  const clipEnds = mainChanged && status?.activeClipId != null ? endsClip(list[0]!.spec, status.camera.id) : null;
  const needsConfirm = untrusted.length > 0 || clipEnds !== null;
  const save = async (): Promise<void> => {
    setConfirming(false);
    await s.save();
  };
  const section: Section<CameraListSettings> = {
    ...s,
    save: async () => {
      if (needsConfirm) setConfirming(true);
      else await save();
    },
  };
  return (
    <SectionCard id="camera" title={t('settings.camera.title')} section={section}>
      <LiveCamera status={status} />
      <OtherCamerasLive status={status} />
      <p className="settings__note">{t('settings.camera.mainNote')}</p>
      {list.map((c, i) => (
        <CameraFields
          key={i}
          index={i}
          count={list.length}
          camera={c}
          offered={cameras}
          errors={s.errors}
          test={tests[i]?.spec === c.spec ? tests[i]!.result : null}
          onChange={(next) => setList(list.map((x, j) => (j === i ? next : x)))}
          onTest={() => void runTest(i)}
          onMove={(by) => move(i, by)}
          onRemove={() => setList(list.filter((_, j) => j !== i), false)}
        />
      ))}
      {s.errors.cameras && (
        <p className="settings__error" role="alert" data-testid="cameras-error">
          {s.errors.cameras}
        </p>
      )}
      <div className="settings__row">
        <button type="button" className="button" data-testid="camera-add" disabled={list.length >= MAX_CAMERAS} onClick={add}>
          {t('settings.camera.add')}
        </button>
        {list.length >= MAX_CAMERAS && <span className="settings__note">{t('settings.camera.max', { max: MAX_CAMERAS })}</span>}
      </div>
      <p className="settings__note">{t('settings.camera.listNote')}</p>
      {confirming && needsConfirm && (
        <ConfirmCamera
          untested={untrusted.map((u) => ({ spec: u.spec, error: u.result && !u.result.ok ? u.result.error : null }))}
          clipEnds={clipEnds}
          codes={status?.activeCodes ?? []}
          onSave={() => void save()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </SectionCard>
  );
}

/** One camera of the list: its source (a camera of this PC, or a URL), test, name, size, rate and quality, and its place. */
function CameraFields({
  index,
  count,
  camera: c,
  offered,
  errors,
  test,
  onChange,
  onTest,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  camera: CameraEntry;
  offered: CamerasResponse['cameras'];
  errors: Record<string, string>;
  test: CameraTestResult | 'testing' | null;
  onChange: (next: CameraEntry) => void;
  onTest: () => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const err = (field: string) => errors[`cameras.${index}.${field}`];
  const isRtsp = /^rtsps?:/i.test(c.spec) || (c.spec !== 'auto' && !offered.some((o) => o.spec === c.spec) && !/^(demo|v4l2:|dshow:|avfoundation:|file:)/.test(c.spec));
  const choice = isRtsp ? RTSP : c.spec;
  const result = test !== 'testing' ? test : null;
  return (
    <fieldset className="settings__camera" data-testid={`camera-${index}`}>
      <legend className="settings__camera-title">{index === 0 ? t('settings.camera.main') : t('settings.camera.other', { n: index + 1 })}</legend>
      <div className="settings__row">
        <button type="button" className="button" data-testid="camera-up" disabled={index === 0} onClick={() => onMove(-1)}>
          {t('settings.camera.up')}
        </button>
        <button type="button" className="button" data-testid="camera-down" disabled={index === count - 1} onClick={() => onMove(1)}>
          {t('settings.camera.down')}
        </button>
        <button type="button" className="button" data-testid="camera-remove" disabled={count === 1} onClick={onRemove}>
          {t('settings.camera.remove')}
        </button>
      </div>
      <Field label={t('settings.camera.name')} error={err('name')} testId="camera-name">
        <input className="field-input" data-testid="camera-name" value={c.name} maxLength={80} placeholder={t('settings.camera.namePlaceholder')} onChange={(e) => onChange({ ...c, name: e.target.value })} />
      </Field>
      <Field label={t('settings.camera.source')} error={isRtsp ? undefined : err('spec')} testId="camera-source">
        <select className="field-input" data-testid="camera-source" value={choice} onChange={(e) => onChange({ ...c, spec: e.target.value === RTSP ? 'rtsp://' : e.target.value })}>
          <option value="auto">{t('settings.camera.auto')}</option>
          {offered.map((o) => (
            <option key={o.spec} value={o.spec}>
              {o.label}
            </option>
          ))}
          {!isRtsp && c.spec !== 'auto' && !offered.some((o) => o.spec === c.spec) && <option value={c.spec}>{c.spec}</option>}
          <option value={RTSP}>{t('settings.camera.rtsp')}</option>
        </select>
      </Field>
      {isRtsp && (
        <Field label={t('settings.camera.rtspUrl')} error={err('spec')} testId="rtsp-url">
          <input className="field-input" data-testid="rtsp-url" value={c.spec} placeholder={t('settings.camera.rtspPlaceholder')} spellCheck={false} onChange={(e) => onChange({ ...c, spec: e.target.value })} />
        </Field>
      )}
      {c.spec !== 'auto' && (
        <div className="settings__row">
          <button type="button" className="button" data-testid="camera-test" disabled={Boolean(err('spec')) || test === 'testing'} onClick={onTest}>
            {test === 'testing' ? t('settings.camera.testing') : t('settings.camera.test')}
          </button>
        </div>
      )}
      {result && (
        <div className="settings__test" data-testid="camera-test-result" data-ok={String(result.ok)}>
          {result.ok ? (
            <>
              <p>{t('settings.camera.testOk', { ms: result.ms })}</p>
              <img className="settings__frame" alt="" src={`data:image/jpeg;base64,${result.jpegBase64}`} />
            </>
          ) : (
            <p className="settings__error">{t('settings.camera.testFailed', { message: result.error })}</p>
          )}
        </div>
      )}
      {isRtsp && <p className="settings__note">{t('settings.camera.rtspSizeNote')}</p>}
      <div className="settings__grid">
        <Field label={t('settings.camera.resolution')} error={err('resolution')}>
          <select className="field-input" data-testid="camera-resolution" value={c.resolution} onChange={(e) => onChange({ ...c, resolution: e.target.value })}>
            {[...new Set([...RESOLUTIONS, c.resolution])].map((r) => (
              <option key={r} value={r}>
                {r === 'auto' ? t('settings.camera.resolutionAuto') : r}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.camera.fps')} error={err('fps')}>
          <select className="field-input" data-testid="camera-fps" value={c.fps ?? ''} onChange={(e) => onChange({ ...c, fps: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">{t('settings.camera.fpsAuto')}</option>
            {[...new Set([...FRAME_RATES, ...(c.fps ? [c.fps] : [])])].map((f) => (
              <option key={f} value={f}>
                {render(msg('units.fps', { fps: f }), currentLanguage())}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.camera.quality')}>
          <select className="field-input" data-testid="camera-quality" value={c.quality} onChange={(e) => onChange({ ...c, quality: e.target.value as CameraEntry['quality'] })}>
            <option value="standard">{t('settings.camera.qualityStandard')}</option>
            <option value="economy">{t('settings.camera.qualityEconomy')}</option>
          </select>
        </Field>
      </div>
    </fieldset>
  );
}

/**
 * Whether changing to `spec` ends the clip being recorded: the station ends it when the camera's id
 * changes (Station.applyCamera). 'maybe' for 'auto', which the station resolves itself.
 */
function endsClip(spec: string, currentId: string): 'yes' | 'maybe' | null {
  if (spec === 'auto') return 'maybe';
  try {
    return parseCameraSpec(spec).id === currentId ? null : 'yes';
  } catch {
    return 'yes';
  }
}

/** What records now, from the station's status (polled every second): never the camera before a change. */
function LiveCamera({ status }: { status: StatusResponse | null }) {
  const { t } = useTranslation();
  if (!status) return <p className="settings__note">…</p>;
  const c = status.camera;
  return (
    <p className={`settings__live${status.recording ? '' : ' settings__live--off'}`} data-testid="camera-live" data-recording={String(status.recording)} data-state={c.state}>
      <span className="settings__live-dot" aria-hidden="true" />
      {status.recording
        ? t('settings.camera.inUse', { camera: c.spec })
        : t('settings.camera.notRecording', { camera: c.spec, state: t(`cameraState.${c.state}`) })}
      {!status.recording && c.lastError && <span className="settings__live-error"> {t('settings.camera.lastError', { message: c.lastError })}</span>}
    </p>
  );
}

/** The other cameras' live lines (the station's status): each records on its own. */
function OtherCamerasLive({ status }: { status: StatusResponse | null }) {
  const { t } = useTranslation();
  const others = (status?.cameras ?? []).slice(1);
  if (others.length === 0) return null;
  return (
    <ul className="settings__live-others">
      {others.map((c, i) => (
        <li key={c.id} className={`settings__live${c.state === 'recording' ? '' : ' settings__live--off'}`} data-testid="camera-live-other" data-recording={String(c.state === 'recording')}>
          <span className="settings__live-dot" aria-hidden="true" />
          {t('settings.camera.otherLive', { n: i + 2, camera: c.name ? `${c.name} · ${c.spec}` : c.spec, state: t(`cameraState.${c.state}`) })}
        </li>
      ))}
    </ul>
  );
}

/**
 * Saving a camera that failed its test (or was never tested) records from it at once (a new main
 * camera stops the recording that works now), and a new main camera ends the clip being recorded:
 * the operator says yes first.
 */
function ConfirmCamera({
  untested,
  clipEnds,
  codes,
  onSave,
  onCancel,
}: {
  /** Each camera not known to work: its failed test's sentence, or null when never tested. */
  untested: Array<{ spec: string; error: string | null }>;
  clipEnds: 'yes' | 'maybe' | null;
  codes: string[];
  onSave: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="settings__confirm" role="alertdialog" aria-labelledby="camera-confirm-title" data-testid="camera-confirm">
      <p id="camera-confirm-title" className="settings__confirm-title">
        {t('settings.camera.confirmTitle')}
      </p>
      {untested.map((u) => (
        <p key={u.spec} data-testid="camera-confirm-test">
          {u.error === null ? t('settings.camera.confirmUntested', { camera: maskCredentials(u.spec) }) : t('settings.camera.confirmFailed', { camera: maskCredentials(u.spec), message: u.error })}
        </p>
      ))}
      {untested.length > 0 && <p>{t('settings.camera.confirmNothing')}</p>}
      {clipEnds && (
        <p data-testid="camera-confirm-clip">{t(clipEnds === 'yes' ? 'settings.camera.confirmClipEnds' : 'settings.camera.confirmClipMayEnd', { codes: codes.join(' · ') })}</p>
      )}
      <div className="settings__row">
        <button type="button" className="settings__save settings__save--danger" data-testid="camera-confirm-save" onClick={onSave}>
          {t('settings.camera.confirmSave')}
        </button>
        <button type="button" ref={cancel} className="button" data-testid="camera-confirm-cancel" onClick={onCancel}>
          {t('settings.camera.confirmCancel')}
        </button>
      </div>
    </div>
  );
}

function DisplaySection() {
  const { t } = useTranslation();
  const s = useSection(DisplaySettings, api.displaySettings, api.saveDisplaySettings);
  const d = s.draft;
  return (
    <SectionCard id="display" title={t('settings.display.title')} section={s}>
      {d && (
        <>
          <p className="settings__note">{t('settings.display.help')}</p>
          <Field label={t('settings.display.language')}>
            <select
              className="field-input"
              data-testid="default-language"
              value={d.language ?? ''}
              onChange={(e) => s.setDraft({ ...d, language: e.target.value === '' ? null : (e.target.value as 'zh-CN' | 'en') })}
            >
              <option value="">{t('settings.display.browserLanguage')}</option>
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </Field>
          <label className="settings-check">
            <input type="checkbox" checked={d.sounds} onChange={(e) => s.setDraft({ ...d, sounds: e.target.checked })} />
            {t('settings.display.sounds')}
          </label>
        </>
      )}
    </SectionCard>
  );
}

/** The LAN form: a new password, or '' to keep the saved one (the station returns only whether one is set). */
const LanForm = z.object({ enabled: z.boolean(), viewerPassword: z.union([z.literal(''), LanSettingsUpdate.shape.viewerPassword.unwrap()]) });
type LanForm = z.infer<typeof LanForm>;

function LanSection({ info }: { info: SettingsInfo | null }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState<LanSettings | null>(null);
  const s = useSection(
    LanForm,
    async (): Promise<LanForm> => {
      const v = await api.lanSettings();
      setCurrent(v);
      return { enabled: v.enabled, viewerPassword: '' };
    },
    async (d: LanForm): Promise<LanForm> => {
      const v = await api.saveLanSettings({ enabled: d.enabled, ...(d.viewerPassword ? { viewerPassword: d.viewerPassword } : {}) });
      setCurrent(v);
      return { enabled: v.enabled, viewerPassword: '' };
    },
  );
  const d = s.draft;
  // The station's rule, checked here too: turning LAN viewing on needs a password, new or saved.
  const missing = d !== null && d.enabled && !d.viewerPassword && current?.passwordSet === false;
  const passwordError = s.errors.viewerPassword ?? (missing ? t('settings.lan.password') : undefined);
  const section: Section<LanForm> = { ...s, valid: s.valid && !missing };
  return (
    <SectionCard id="lan" title={t('settings.lan.title')} section={section}>
      {d && (
        <>
          <label className="settings-check">
            <input type="checkbox" data-testid="lan-enabled" checked={d.enabled} onChange={(e) => s.setDraft({ ...d, enabled: e.target.checked })} />
            {t('settings.lan.enabled')}
          </label>
          <Field label={current?.passwordSet ? t('settings.lan.passwordKeep') : t('settings.lan.password')} error={passwordError}>
            <input className="field-input" type="password" autoComplete="new-password" value={d.viewerPassword} onChange={(e) => s.setDraft({ ...d, viewerPassword: e.target.value })} />
          </Field>
          <p className="settings__note">
            {t('settings.lan.nextStart')} {info && (info.lanActive ? t('settings.lan.active') : t('settings.lan.notActive'))}
          </p>
          {info?.cli.host && <p className="settings__note settings__note--warn">{t('settings.lan.cliOverride', { host: info.cli.host })}</p>}
        </>
      )}
    </SectionCard>
  );
}

function RetentionSection() {
  const { t } = useTranslation();
  const s = useSection(RetentionSettings, api.retentionSettings, api.saveRetentionSettings);
  const d = s.draft;
  const num = (key: Exclude<keyof RetentionSettings, 'waitForHubCopy'>, label: string, step: string) =>
    d && (
      <Field label={label} error={s.errors[key]}>
        <input
          className="field-input"
          data-testid={`retention-${key}`}
          type="number"
          step={step}
          inputMode="decimal"
          value={Number.isNaN(d[key]) ? '' : d[key]}
          onChange={(e) => s.setDraft({ ...d, [key]: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
        />
      </Field>
    );
  return (
    <SectionCard id="retention" title={t('settings.retention.title')} section={s}>
      <div className="settings__grid">
        {num('keepClipsDays', t('settings.retention.keepClipsDays'), '1')}
        {num('keepOrphanHours', t('settings.retention.keepOrphanHours'), '1')}
        {num('minFreeGb', t('settings.retention.minFreeGb'), '0.1')}
        {num('minFreePercent', t('settings.retention.minFreePercent'), '1')}
        {num('keepExportsDays', t('settings.retention.keepExportsDays'), '1')}
      </div>
      <p className="settings__note">{t('settings.retention.exportsNote')}</p>
      {d && (
        <label className="settings-check">
          <input type="checkbox" data-testid="retention-waitForHubCopy" checked={d.waitForHubCopy} onChange={(e) => s.setDraft({ ...d, waitForHubCopy: e.target.checked })} />
          {t('settings.retention.waitForHubCopy')}
        </label>
      )}
    </SectionCard>
  );
}

