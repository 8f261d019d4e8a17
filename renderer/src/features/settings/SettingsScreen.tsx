/**
 * The station's settings (operator only): one card per section, each saved on its own, each checked
 * as it is typed with the same zod schema the station checks on save (shared/api.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  CameraSettings,
  DisplaySettings,
  LanSettingsUpdate,
  RetentionSettings,
  StationIdentitySettings,
  type CamerasResponse,
  type CameraTestResult,
  type LanSettings,
  type SettingsInfo,
  type StatusResponse,
} from '../../../../shared/api';
import { parseCameraSpec } from '../../../../shared/camera-spec';
import { maskCredentials } from '../../../../shared/credentials';
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

function CameraSection({ info }: { info: SettingsInfo | null }) {
  const { t } = useTranslation();
  const s = useSection(CameraSettings, api.cameraSettings, api.saveCameraSettings);
  const [cameras, setCameras] = useState<CamerasResponse['cameras']>([]);
  // The last test and the spec it tested: a result is about that camera only.
  const [test, setTest] = useState<{ spec: string; result: CameraTestResult | 'testing' } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const status = useStationStore((st) => st.status);
  // The camera the station saved last (what "changed" means), from the section's first load and each save.
  const [savedSpec, setSavedSpec] = useState<string | null>(null);
  useEffect(() => {
    api.cameras().then((r) => setCameras(r.cameras), () => undefined);
  }, []);
  const d = s.draft;
  useEffect(() => {
    if (d && (savedSpec === null || s.saveState.kind === 'saved')) setSavedSpec(d.spec);
  }, [d, savedSpec, s.saveState.kind]);
  if (!d) return <SectionCard id="camera" title={t('settings.camera.title')} section={s}>{null}</SectionCard>;
  const isRtsp = /^rtsps?:/i.test(d.spec) || (d.spec !== 'auto' && !cameras.some((c) => c.spec === d.spec) && !/^(demo|v4l2:|dshow:|avfoundation:|file:)/.test(d.spec));
  const choice = isRtsp ? RTSP : d.spec;
  const result = test?.spec === d.spec && test.result !== 'testing' ? test.result : null;
  const runTest = async () => {
    const spec = d.spec;
    setTest({ spec, result: 'testing' });
    try {
      const r = await api.testCamera(spec);
      setTest((cur) => (cur?.spec === spec ? { spec, result: r } : cur));
    } catch (err) {
      setTest((cur) => (cur?.spec === spec ? { spec, result: { ok: false, error: err instanceof Error ? err.message : String(err), ms: 0 } } : cur));
    }
  };
  // What saving would do that the operator must agree to: record from a camera whose last
  // test failed or that was never tested, or end the clip being recorded.
  const specChanged = savedSpec !== null && d.spec !== savedSpec;
  const untrusted = specChanged && d.spec !== 'auto' && d.spec !== 'demo' && result?.ok !== true;
  const clipEnds = specChanged && status?.activeClipId != null ? endsClip(d.spec, status.camera.id) : null;
  const needsConfirm = untrusted || clipEnds !== null;
  const save = async (): Promise<void> => {
    setConfirming(false);
    await s.save();
  };
  const section: Section<CameraSettings> = {
    ...s,
    save: async () => {
      if (needsConfirm) setConfirming(true);
      else await save();
    },
  };
  return (
    <SectionCard id="camera" title={t('settings.camera.title')} section={section}>
      <LiveCamera status={status} />
      {info?.cli.camera && <p className="settings__note settings__note--warn">{t('settings.camera.cliOverride', { camera: info.cli.camera })}</p>}
      <Field label={t('settings.camera.source')}>
        <select
          className="field-input"
          data-testid="camera-source"
          value={choice}
          onChange={(e) => {
            setConfirming(false);
            s.setDraft({ ...d, spec: e.target.value === RTSP ? 'rtsp://' : e.target.value });
          }}
        >
          <option value="auto">{t('settings.camera.auto')}</option>
          {cameras.map((c) => (
            <option key={c.spec} value={c.spec}>
              {c.label}
            </option>
          ))}
          {!isRtsp && d.spec !== 'auto' && !cameras.some((c) => c.spec === d.spec) && <option value={d.spec}>{d.spec}</option>}
          <option value={RTSP}>{t('settings.camera.rtsp')}</option>
        </select>
      </Field>
      {isRtsp && (
        <Field label={t('settings.camera.rtspUrl')} error={s.errors.spec} testId="rtsp-url">
          <input
            className="field-input"
            data-testid="rtsp-url"
            value={d.spec}
            placeholder={t('settings.camera.rtspPlaceholder')}
            spellCheck={false}
            onChange={(e) => {
              setConfirming(false);
              s.setDraft({ ...d, spec: e.target.value });
            }}
          />
        </Field>
      )}
      {d.spec !== 'auto' && (
        <div className="settings__row">
          <button type="button" className="button" data-testid="camera-test" disabled={Boolean(s.errors.spec) || test?.result === 'testing'} onClick={() => void runTest()}>
            {test?.spec === d.spec && test.result === 'testing' ? t('settings.camera.testing') : t('settings.camera.test')}
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
        <Field label={t('settings.camera.resolution')} error={s.errors.resolution}>
          <select className="field-input" value={d.resolution} onChange={(e) => s.setDraft({ ...d, resolution: e.target.value })}>
            {[...new Set([...RESOLUTIONS, d.resolution])].map((r) => (
              <option key={r} value={r}>
                {r === 'auto' ? t('settings.camera.resolutionAuto') : r}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.camera.fps')} error={s.errors.fps}>
          <select className="field-input" value={d.fps ?? ''} onChange={(e) => s.setDraft({ ...d, fps: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">{t('settings.camera.fpsAuto')}</option>
            {[...new Set([...FRAME_RATES, ...(d.fps ? [d.fps] : [])])].map((f) => (
              <option key={f} value={f}>
                {f} fps
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.camera.quality')}>
          <select className="field-input" value={d.quality} onChange={(e) => s.setDraft({ ...d, quality: e.target.value as CameraSettings['quality'] })}>
            <option value="standard">{t('settings.camera.qualityStandard')}</option>
            <option value="economy">{t('settings.camera.qualityEconomy')}</option>
          </select>
        </Field>
      </div>
      <p className="settings__note">{t('settings.camera.restartNote')}</p>
      {confirming && needsConfirm && (
        <ConfirmCamera
          spec={d.spec}
          test={untrusted ? (result && !result.ok ? result.error : null) : undefined}
          clipEnds={clipEnds}
          codes={status?.activeCodes ?? []}
          onSave={() => void save()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </SectionCard>
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

/**
 * Saving a camera that failed its test (or was never tested) stops the recording that works now,
 * and a new camera ends the clip being recorded: the operator says yes first.
 */
function ConfirmCamera({
  spec,
  test,
  clipEnds,
  codes,
  onSave,
  onCancel,
}: {
  spec: string;
  /** The failed test's sentence; null: never tested; undefined: the test passed. */
  test: string | null | undefined;
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
      {test !== undefined && (
        <p data-testid="camera-confirm-test">{test === null ? t('settings.camera.confirmUntested', { camera: maskCredentials(spec) }) : t('settings.camera.confirmFailed', { camera: maskCredentials(spec), message: test })}</p>
      )}
      {test !== undefined && <p>{t('settings.camera.confirmNothing')}</p>}
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

