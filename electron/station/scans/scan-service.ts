/**
 * Scans in, clips out. Classifies the code, asks the state machine what it means, applies the
 * effects to the database in one transaction, then updates the burned-in overlay and queues the clip
 * MP4 of any clip that ended. Every scan, good or garbage, lands in the scan log.
 */
import { EventEmitter } from 'node:events';
import { ClipMode, type Clip, type ScannedOrder, type ScanResponse, type ScanWarningCode } from '../../../shared/api.js';
import type { Db } from '../catalog/database.js';
import type { Segments } from '../catalog/segments.js';
import { toIso } from '../catalog/time.js';
import type { ClipWriter } from '../clips/clip-writer.js';
import type { ClipsRepo } from '../clips/clips-repo.js';
import { IDLE_CHECK_MS } from '../limits.js';
import { log } from '../log.js';
import { Classifier, visible, type Classified } from './classifier.js';
import { decide, isIdle, maxClipMsFor, shownCodes, type BoundaryTiming, type Decision, type MachineEvent, type MachineState } from './clip-state-machine.js';
import { duplicateNote, notFilmedWarning, scanText, withNote, type EndedClip } from './messages.js';
import { bothLanguages } from '../../../shared/messages/index.js';
import { DEFAULT_SCAN_SETTINGS, validateScanSettings, withProductRules, type ScanSettings } from './scan-settings.js';
import type { SettingsStore } from './settings-store.js';
import type { OrdersRepo } from '../orders/orders-repo.js';
import type { PackersRepo } from '../packers/packers-repo.js';
import { clipOverlayCodes } from '../recorder/overlay.js';

const DAY_MS = 86_400_000;
/** Raw scans longer than this are stored cut, so a runaway scanner cannot bloat the log. */
const RAW_LOG_MAX = 512;
/** Settings key: the product rules were offered to this station's saved rules (once). */
const PRODUCT_RULES_KEY = 'scanProductRulesAdded';

export interface ScanServiceDeps {
  db: Db;
  clips: ClipsRepo;
  segments: Segments;
  settings: SettingsStore;
  writer: ClipWriter;
  station: string;
  camera: string;
  /**
   * Show `codes` in the burned-in overlay from `atMs` on (a frame time; see overlay-timeline.ts).
   * Every clip boundary is one: the codes change on exactly the boundary's frame.
   */
  scheduleOverlay: (atMs: number, codes: readonly string[]) => void;
  /** When a boundary decided now can be (the lead ffmpeg needs, the frame grid). */
  timing: BoundaryTiming;
  /**
   * Why the station is not recording at this moment, or null while it records. Asked at every scan:
   * a parcel scanned while the camera is down must not get the "recording" answer.
   */
  notRecording: () => ScanWarningCode | null;
  /** Imported orders: a scanned order or waybill number names the order the clip packs. */
  orders?: OrdersRepo;
  /** The names printed on the badges: a clip keeps its packer's name, the overlay shows it. */
  packers?: PackersRepo;
  /** A badge signed a packer in or out: the overlay's station line names who is packing now. */
  packerChanged?: () => void;
  /**
   * Since when the camera's picture has shown little motion (recorder/motion.ts), or null when the
   * station cannot tell. Absent or null: the idle stop never fires.
   */
  stillSince?: () => number | null;
}

export class ScanService extends EventEmitter<{ changed: [] }> {
  private state: MachineState = { mode: 'pack', active: null, last: null };
  private settings: ScanSettings = DEFAULT_SCAN_SETTINGS;
  private classifier = new Classifier(DEFAULT_SCAN_SETTINGS);
  private maxTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** The last scan of any kind, garbage included: someone was at the bench. */
  private lastScanMs: number | null = null;
  /** The order of the open clip, kept so every scan during the packing answers with it without a query. */
  private activeOrder: { clipId: number; order: ScannedOrder } | null = null;
  /** The packer signed in at the bench (a badge code), kept across restarts in the settings table. */
  private packerBadge: string | null = null;

  constructor(private readonly d: ScanServiceDeps) {
    super();
  }

  /** Load settings and close what a crash left open: a clip still "recording" ends at its last footage. */
  init(): void {
    this.settings = this.d.settings.get('scan', DEFAULT_SCAN_SETTINGS, validateScanSettings);
    this.addProductRulesOnce();
    this.classifier = new Classifier(this.settings);
    // The dispatch point starts in hand-over mode whatever the last command code left.
    this.state.mode = this.settings.dispatchPoint ? 'ship' : this.d.settings.get<ClipMode>('mode', 'pack', (v) => ClipMode.parse(v));
    this.packerBadge = this.d.settings.get<string | null>('packer', null, (v) => (typeof v === 'string' ? v : null));
    for (const c of this.d.clips.recording()) {
      const lastFootage = this.d.segments.lastEndMs(c.camera) ?? c.startMs;
      this.d.clips.end(c.id, Math.max(c.startMs, lastFootage), 'interrupted', 'station stopped unexpectedly');
      log.warn(`clip ${c.id} was interrupted by a crash; it was closed at its last footage`, { clipId: c.id });
    }
    // The next clip's pre-roll stops at the last clip's end, also across a restart.
    this.state.lastEndMs = this.d.clips.lastEndMs();
    for (const id of this.d.clips.withoutVideo()) this.d.writer.enqueue(id);
  }

  /**
   * Rules saved before product codes existed get the product rules once (withProductRules), so an
   * EAN stops starting orders on stations already in use. Marked done, so a removal is respected.
   */
  private addProductRulesOnce(): void {
    if (this.d.settings.get<boolean>(PRODUCT_RULES_KEY, false, (v) => v === true)) return;
    let next: ScanSettings | null = null;
    try {
      const added = withProductRules(this.settings);
      next = added && validateScanSettings(added);
    } catch (err) {
      // Over the rules' total size budget with the additions: the merchant's rules stay as they are.
      log.warn('product-code rules could not be added to the saved scan rules', { error: (err as Error).message });
    }
    this.d.db.transaction(() => {
      if (next) this.d.settings.set('scan', next);
      this.d.settings.set(PRODUCT_RULES_KEY, true);
    })();
    if (!next) return;
    this.settings = next;
    log.info('product-code rules added to the saved scan rules, before the first rule that took product codes', { rules: next.rules.length });
  }

  get mode(): ClipMode {
    return this.state.mode;
  }

  /** The packer signed in at the bench, or null. */
  get packer(): string | null {
    return this.packerBadge;
  }

  /** The signed-in packer's name (their badge code when the station has no name for it), or null. */
  get packerName(): string | null {
    return this.packerBadge === null ? null : (this.d.packers?.nameOf(this.packerBadge) ?? this.packerBadge);
  }

  activeClip(): Clip | null {
    return this.state.active ? this.d.clips.get(this.state.active.id) : null;
  }

  scanSettings(): ScanSettings {
    return this.settings;
  }

  /** Validate, store and apply new scan settings; throws ScanSettingsError with a readable reason. */
  updateSettings(input: unknown): ScanSettings {
    const next = validateScanSettings(input);
    const becameDispatch = next.dispatchPoint && !this.settings.dispatchPoint;
    this.d.db.transaction(() => {
      this.d.settings.set('scan', next);
      // Made the dispatch point: the next clip is a hand-over, as after a restart.
      if (becameDispatch) this.d.settings.set('mode', 'ship');
    })();
    if (becameDispatch) this.state.mode = 'ship';
    this.settings = next;
    this.classifier = new Classifier(next);
    this.armMaxTimer();
    this.armIdleTimer();
    if (becameDispatch) this.emit('changed');
    return next;
  }

  /** Classify without acting: the settings screen's live tester. */
  classify(raw: string): Classified {
    return this.classifier.classify(raw);
  }

  scan(raw: string, atMs = Date.now()): ScanResponse {
    const scan = this.classifier.classify(raw);
    return this.apply({ type: 'scan', atMs, scan }, raw, scan.code, scan.kind);
  }

  /**
   * End the active clip (station shutting down, camera changed); its MP4 is queued like any other.
   * It ends the lead from now, like any boundary, so the codes overlay clears on exactly its end.
   * Returns that end (null: no clip was running): the caller keeps recording until then.
   */
  closeActive(reason: string): number | null {
    const a = this.state.active;
    if (!a) return null;
    const endMs = Math.max(this.d.timing.snap(Date.now() + this.d.timing.leadMs), a.startMs);
    this.d.clips.end(a.id, endMs, 'closed', reason);
    this.state.active = null;
    this.state.lastEndMs = endMs;
    this.d.writer.enqueue(a.id);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.armIdleTimer();
    this.d.scheduleOverlay(endMs, []);
    this.emit('changed');
    return endMs;
  }

  private apply(event: MachineEvent, raw: string, code: string, kind: ScanResponse['kind']): ScanResponse {
    if (event.type === 'scan') this.lastScanMs = Math.max(this.lastScanMs ?? -Infinity, event.atMs);
    const decision = decide(this.state, event, this.settings, this.d.timing);
    const ended: number[] = [];
    let clipId: number | null = null;
    let endedId: number | null = null;
    let duplicateOf: ScanResponse['duplicateOf'] = [];
    // The clip open before this scan: a stop names it and its length.
    const openBefore = this.state.active;
    let endedClip: EndedClip | null = null;

    this.d.db.transaction(() => {
      for (const e of decision.effects) {
        switch (e.type) {
          case 'start': {
            clipId = this.d.clips.create({ station: this.d.station, camera: this.d.camera, mode: e.mode, startMs: e.startMs });
            this.d.clips.addCode(clipId, e.code, e.kind, e.atMs);
            if (this.packerBadge !== null) this.d.clips.setPacker(clipId, this.packerBadge, this.packerName);
            this.state.active = { id: clipId, startMs: e.startMs, mode: e.mode, codes: [{ code: e.code, kind: e.kind }] };
            break;
          }
          case 'end':
            this.d.clips.end(e.id, e.endMs, e.status, e.reason);
            ended.push(e.id);
            endedId = e.id;
            if (openBefore?.id === e.id) endedClip = { codes: openBefore.codes.map((c) => c.code), lengthMs: e.endMs - openBefore.startMs };
            if (this.state.active?.id === e.id) this.state.active = null;
            this.state.lastEndMs = Math.max(this.state.lastEndMs ?? -Infinity, e.codesClearMs ?? e.endMs);
            break;
          case 'attach':
            this.d.clips.addCode(e.id, e.code, e.kind, e.atMs);
            this.state.active?.codes.push({ code: e.code, kind: e.kind });
            clipId = e.id;
            break;
          case 'mode':
            this.state.mode = e.mode;
            this.d.settings.set('mode', e.mode);
            break;
          case 'packer':
            this.packerBadge = e.badge;
            this.d.settings.set('packer', e.badge);
            break;
        }
      }
      if (clipId !== null && (decision.action === 'started' || decision.action === 'switched' || decision.action === 'attached')) {
        this.linkOrder(clipId, code, kind);
        // The same product is in many parcels: only an order or waybill number seen before is a warning.
        if (kind !== 'item') duplicateOf = this.d.clips.othersWithCode(code, event.atMs - this.settings.duplicateWindowDays * DAY_MS, clipId, this.state.active?.mode ?? this.state.mode);
      }
      if (event.type === 'scan' && decision.action !== 'ignored' && decision.action !== 'rejected') this.state.last = { code, atMs: event.atMs };
    })();

    const response = this.respond(decision, event.atMs, clipId ?? (decision.action === 'stopped' ? endedId : null), endedId, code, kind, duplicateOf, endedClip);
    const active = this.state.active;
    response.order = active && this.activeOrder?.clipId === active.id ? this.activeOrder.order : null;
    response.packer = this.packerBadge;
    response.packerName = this.packerName;
    if (response.warning) log.warn('a scan came while the station is not recording: its parcel is not being filmed', { code: response.code, why: response.warning.code, clipId: this.state.active?.id });
    this.d.clips.logScan({
      atMs: event.atMs,
      station: this.d.station,
      raw: visible(raw.slice(0, RAW_LOG_MAX)),
      code: response.code,
      kind,
      action: response.action,
      reason: decision.reason,
      mode: this.state.mode,
      clipId: response.id,
      endedClipId: endedId,
      duplicateOf,
      // The log keeps what the packer was told, the warning included.
      message: response.warning
        ? { 'zh-CN': `${response.message['zh-CN']}；${response.warning.message['zh-CN']}`, en: `${response.message.en}. ${response.warning.message.en}` }
        : response.message,
    });

    for (const id of ended) this.d.writer.enqueue(id);
    if (decision.effects.length) {
      this.armMaxTimer();
      this.armIdleTimer();
      const at = overlayMoment(decision, this.state.active?.startMs ?? null);
      if (at !== null) this.d.scheduleOverlay(at, this.overlayCodes());
      if (decision.effects.some((e) => e.type === 'packer')) this.d.packerChanged?.();
      this.emit('changed');
    }
    return response;
  }

  /** The codes line of the running clip: its codes, and its order's number when a waybill found the order. */
  private overlayCodes(): string[] {
    const a = this.state.active;
    if (!a) return [];
    const order = this.activeOrder?.clipId === a.id ? this.activeOrder.order.orderNo : null;
    return clipOverlayCodes(shownCodes(a.codes), order);
  }

  private respond(
    decision: Decision,
    atMs: number,
    id: number | null,
    endedId: number | null,
    code: string,
    kind: ScanResponse['kind'],
    duplicateOf: ScanResponse['duplicateOf'],
    ended: EndedClip | null,
  ): ScanResponse {
    const said = scanText(decision.reason, visible(code), this.state.mode, ended && { ...ended, codes: ended.codes.map(visible) });
    const text = duplicateOf.length ? withNote(said, duplicateNote(duplicateOf.length)) : said;
    const notRecording = this.d.notRecording();
    // Only while a clip is open: the parcel on the bench is the one not being filmed. A stop or a mode
    // change while the camera is down says recording: false and no more (the banner says the rest).
    const warned = notRecording && this.state.active ? notFilmedWarning(notRecording) : null;
    const warning = notRecording && warned ? { code: notRecording, message: bothLanguages(warned), text: warned } : null;
    return {
      action: decision.action,
      id,
      endedId: decision.action === 'switched' ? endedId : null,
      code: visible(code),
      kind,
      mode: this.state.mode,
      // Both languages as before (the scan log stores them; scanner apps print them) and the message itself, which the UI renders.
      message: text ? bothLanguages(text) : { 'zh-CN': '', en: '' },
      ...(text ? { text } : {}),
      duplicateOf,
      at: toIso(atMs),
      reason: decision.reason,
      recording: notRecording === null,
      warning,
    };
  }

  /**
   * The first order or waybill scanned onto a clip that names an imported order gives the clip that
   * order (the order number's or the waybill's). Later codes of the same clip do not change it: a
   * label scanned after the order slip is the same parcel.
   */
  private linkOrder(clipId: number, code: string, kind: ScanResponse['kind']): void {
    if (!this.d.orders || (kind !== 'order' && kind !== 'waybill') || this.activeOrder?.clipId === clipId) return;
    const found = this.d.orders.scanOrder(code);
    if (!found) return;
    this.d.clips.setOrder(clipId, found.id, found.order);
    this.activeOrder = { clipId, order: found.order };
  }

  /** A forgotten clip ends itself at the maximum length (and says so in the scan log), decided the lead before it. */
  private armMaxTimer(): void {
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.maxTimer = null;
    const a = this.state.active;
    if (!a) return;
    const due = a.startMs + maxClipMsFor(a.mode, this.settings) - this.d.timing.leadMs - Date.now();
    this.maxTimer = setTimeout(() => {
      const r = this.apply({ type: 'max-length', atMs: Date.now() }, '', '', 'command');
      if (r.action === 'stopped') log.warn('a clip reached the maximum length and was stopped', { clipId: r.id });
      // Node may fire a timer a millisecond before Date.now() reaches its due time (the two clocks
      // round differently), and the wall clock can be set back: the clip is then "not expired yet",
      // and an unarmed timer would leave it running forever. Arm again for what is left.
      else this.armMaxTimer();
    }, Math.max(0, due));
    this.maxTimer.unref();
  }

  /** While a clip is open and the idle stop is on, look every IDLE_CHECK_MS for a bench gone idle. */
  private armIdleTimer(): void {
    const wanted = this.state.active !== null && this.settings.idleStopMs > 0 && this.d.stillSince !== undefined;
    if (!wanted && this.idleTimer) {
      clearInterval(this.idleTimer);
      this.idleTimer = null;
    } else if (wanted && !this.idleTimer) {
      this.idleTimer = setInterval(() => this.checkIdle(), IDLE_CHECK_MS);
      this.idleTimer.unref();
    }
  }

  /**
   * No scan and a still picture for `idleStopMs`: the clip ends at the last of them (plus the
   * post-roll), not now, so the empty table is not on it. A picture the station cannot see (camera
   * down, no motion pictures) is never taken for a still one.
   */
  private checkIdle(): void {
    const a = this.state.active;
    const stillSince = this.d.stillSince?.() ?? null;
    if (!a || stillSince === null) return;
    const now = Date.now();
    const lastActivityMs = Math.max(stillSince, this.lastScanMs ?? -Infinity, a.startMs);
    if (!isIdle(now, lastActivityMs, this.settings)) return;
    const r = this.apply({ type: 'idle', atMs: now, lastActivityMs }, '', '', 'command');
    if (r.action === 'stopped') log.info('no scan and little motion at the bench: the clip was stopped at its last activity', { clipId: r.id, lastActivity: toIso(lastActivityMs) });
  }

  dispose(): void {
    if (this.maxTimer) clearTimeout(this.maxTimer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
  }
}

/**
 * When the overlay shows what the decision left running (null: nothing changes on screen). A clip
 * that starts shows its code from the scan on, never before it: its pre-roll keeps "—" (or, right
 * after another clip, that clip's end already cleared it). A switch or an end changes it at the
 * boundary itself; a waybill attached shows from its scan, but not before the clip it joins begins.
 */
function overlayMoment(decision: Decision, activeStartMs: number | null): number | null {
  const start = decision.effects.find((e) => e.type === 'start');
  if (start) return Math.max(start.atMs, start.startMs);
  const end = decision.effects.find((e) => e.type === 'end');
  if (end) return end.codesClearMs ?? end.endMs;
  const attach = decision.effects.find((e) => e.type === 'attach');
  if (attach) return Math.max(attach.atMs, activeStartMs ?? attach.atMs);
  return null;
}
