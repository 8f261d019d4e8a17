/**
 * The HTTP API contract between the station core (server) and every client (renderer, CLI, tests).
 * One module, imported by both sides: the server builds its responses from these types, and the
 * renderer parses what it receives with the same schemas, so a change here breaks both at compile time.
 *
 * Runs in Node and in the browser: no Node or DOM imports here.
 */
import { z } from 'zod';
import { CameraSpecError, parseCameraSpec } from './camera-spec.js';
import { schemaTexts, type SchemaMessageKey } from './messages/index.js';
import { maskCredentials } from './credentials.js';
import { compileRulePattern, RULES_PROGRAM_MAX } from './rule-pattern.js';
import { isSafeText } from './text-safety.js';
import { fillPath, queryString } from './route-url.js';

/** A sentence for people, in both languages the UI speaks. */
export const LocalizedText = z.object({ 'zh-CN': z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A catalogue message's parameters as sent: text, numbers, or a clause that is itself a message. */
export type MessageParamsBody = Record<string, string | number | LocalizedText | { code: string; params?: MessageParamsBody }>;
export const MessageParamsBody: z.ZodType<MessageParamsBody> = z.lazy(() =>
  z.record(z.string(), z.union([z.string(), z.number(), LocalizedText, z.object({ code: z.string(), params: MessageParamsBody.optional() })])),
);

/**
 * A sentence the server words for people and the UI only shows: a shared/messages catalogue code and
 * its parameters, rendered by the reader in its own language (renderer: i18n/message-text.ts).
 */
export const MessageBody = z.object({ code: z.string(), params: MessageParamsBody.optional() });
export type MessageBody = z.infer<typeof MessageBody>;

/** Cameras per station, from `--camera` or the settings' list (electron/station/limits.ts says why 4). */
export const MAX_CAMERAS = 4;

/**
 * The sentences the settings schemas refuse a value with, in English (the API and the CLI speak it):
 * the `schema.*` codes of the message catalogue (shared/messages), where each has its Chinese too. The
 * settings screen shows each in the UI's language by its key. A message with details carries them as `params`.
 */
export const SchemaMessage = schemaTexts('en');
export type { SchemaMessageKey };

/** A SchemaMessage with its {{params}} filled in. */
export function schemaMessage(key: SchemaMessageKey, params: Record<string, string> = {}): string {
  return SchemaMessage[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => params[name] ?? '');
}

/** ISO 8601 in UTC, e.g. 2026-11-23T10:38:00.000Z. */
export const IsoTime = z.string().datetime({ offset: false });

export const HealthResponse = z.object({ ok: z.literal(true) });
export type HealthResponse = z.infer<typeof HealthResponse>;

/**
 * What the watchdog knows about the camera and its ffmpeg process.
 * - starting:   ffmpeg spawned, no segment closed yet
 * - recording:  segments are being closed on schedule
 * - stalled:    ffmpeg alive but produced nothing for too long (will be restarted)
 * - restarting: ffmpeg died or was killed; waiting out the back-off before the next start
 * - stopped:    the station is shutting down (or was never started)
 */
export const CameraStateName = z.enum(['starting', 'recording', 'stalled', 'restarting', 'stopped']);
export type CameraStateName = z.infer<typeof CameraStateName>;

export const Gap = z.object({
  id: z.number().int(),
  camera: z.string(),
  startedAt: IsoTime,
  /** null while the gap is still open (nothing recorded yet). */
  endedAt: IsoTime.nullable(),
  reason: z.string(),
});
export type Gap = z.infer<typeof Gap>;

export const CameraStatus = z.object({
  id: z.string(),
  /** The camera spec with any password removed. */
  spec: z.string(),
  /** The name given in the settings ('' for none); absent from older stations. */
  name: z.string().optional(),
  state: CameraStateName,
  /** ffmpeg's process id while one runs (ops and fault tests use it). */
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  /**
   * Starts in a row that recorded nothing (a camera unplugged or an IP camera down, retried every
   * second); these are not counted in `restarts`. 0 while recording. Optional for older stations.
   */
  failedAttempts: z.number().int().optional(),
  lastError: z.string().nullable(),
  lastGap: Gap.nullable(),
});
export type CameraStatus = z.infer<typeof CameraStatus>;

/**
 * The station's Ed25519 signing key, which signs every evidence bundle. Its whole fingerprint is shown
 * on the status panel, the settings screen and the health page, so the seller can hand it to whoever
 * checks a bundle (the copy on the evidence sheet travels with the bundle and proves nothing).
 */
export const StationKey = z.object({
  /** SHA-256 of the DER public key, 64 hex digits: what `openssl pkey -pubin -outform DER | sha256sum` prints. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** The fingerprint in groups of four hex digits, for reading aloud and comparing by eye. */
  fingerprintGrouped: z.string(),
  /** The first 16 hex digits, grouped: tells stations apart at a glance (not a proof). */
  fingerprintShort: z.string(),
  /** SPKI PEM. */
  publicKeyPem: z.string(),
});
export type StationKey = z.infer<typeof StationKey>;

// ---- Storage status ----
/**
 * ok: free space above the limit; pressure: below it, retention is deleting the oldest unprotected
 * footage; protected-only: protected clips (and the footage that must stay) alone keep the disk under
 * the limit: shown as a banner, and footage that belongs to no clip is kept only for the pre-roll;
 * awaiting-hub: the same, but clips whose copy the hub has not confirmed yet are among what is kept
 * (a joined station with waitForHubCopy on): the banner says the hub is behind.
 */
export const RetentionState = z.enum(['ok', 'pressure', 'protected-only', 'awaiting-hub']);
export type RetentionState = z.infer<typeof RetentionState>;
export const StorageStatus = z.object({
  retention: RetentionState,
  /** Retention keeps at least this much free: max(minFreeGb, minFreePercent of the volume). */
  limitBytes: z.number().int(),
  /** Below this recording stops (disk full); it resumes at resumeBytes. */
  hardFloorBytes: z.number().int(),
  resumeBytes: z.number().int(),
  totalDiskBytes: z.number().int(),
  diskFull: z.boolean(),
  freedTodayBytes: z.number().int(),
  lastRetentionAt: IsoTime.nullable(),
});
export type StorageStatus = z.infer<typeof StorageStatus>;

// Warehouse hub: the station's side of its link, defined here because the status carries it.
/** The station's link to a hub (GET /api/settings/hub, and `hub` in the status). */
export const HubLinkState = z.enum(['not-joined', 'connecting', 'connected', 'unreachable', 'refused']);
export type HubLinkState = z.infer<typeof HubLinkState>;

export const HubLinkStatus = z.object({
  url: z.string().nullable(),
  stationId: z.number().int().nullable(),
  state: HubLinkState,
  /** Last time the hub answered. */
  lastContactAt: IsoTime.nullable(),
  /** One sentence: why the last attempt failed. */
  lastError: z.string().nullable(),
  /** Items waiting in the outbox. */
  backlog: z.number().int().nonnegative(),
});
export type HubLinkStatus = z.infer<typeof HubLinkStatus>;

export const StatusResponse = z.object({
  station: z.string(),
  recording: z.boolean(),
  /** The main camera (the first --camera): `recording` and the NOT RECORDING banner follow it. */
  camera: CameraStatus,
  /** Every camera, the main one first, each its own recording run; absent from older stations. */
  cameras: z.array(CameraStatus).optional(),
  lastSegmentEndedAt: IsoTime.nullable(),
  segmentCount: z.number().int(),
  gapCount: z.number().int(),
  freeDiskBytes: z.number().int(),
  now: IsoTime,
  /** The mode the next clip will be recorded in. */
  mode: z.lazy(() => ClipMode),
  /** The clip being recorded, if any. */
  activeClipId: z.number().int().nullable(),
  activeCodes: z.array(z.string()),
  activeSince: IsoTime.nullable(),
  /** The running clip's own mode (a PW-RETURN during a clip changes only the next clip's). */
  activeMode: z.lazy(() => ClipMode).nullable(),
  /** The imported order the running clip packs: the station screen's checklist. Absent from older stations. */
  activeOrder: z.lazy(() => ScannedOrder).nullable().optional(),
  /** The packer signed in at the bench; null: nobody. */
  packer: z.string().nullable().optional(),
  /** Their name (the badge code when the badge has no name); null: nobody. */
  packerName: z.string().nullable().optional(),
  /** The id of the newest scan in the log (0 before the first), so screens know when to refresh it. */
  lastScanId: z.number().int(),
  /** Optional so clients of older stations still parse the status. */
  stationKey: StationKey.optional(),
  // ---- Storage status (retention, disk full) ----
  /** Why the station is not recording although it could: 'disk-full' (below the hard floor; resumes by itself). */
  notRecordingReason: z.enum(['disk-full']).nullable().optional(),
  storage: StorageStatus.optional(),
  /** The link to a warehouse hub; absent on older stations. */
  hub: HubLinkStatus.optional(),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

export const Segment = z.object({
  id: z.number().int(),
  camera: z.string(),
  file: z.string(),
  startedAt: IsoTime,
  endedAt: IsoTime,
  durationMs: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** ok: indexed as it closed; recovered: indexed at start-up after a crash; damaged: kept but undecodable. */
  status: z.enum(['ok', 'recovered', 'damaged']),
  /** Retention deleted the file at this time (the row stays: it is in the evidence chain). */
  fileDeletedAt: IsoTime.nullable().optional(),
});
export type Segment = z.infer<typeof Segment>;

export const SegmentsResponse = z.object({ segments: z.array(Segment) });
export type SegmentsResponse = z.infer<typeof SegmentsResponse>;

export const GapsResponse = z.object({ gaps: z.array(Gap) });
export type GapsResponse = z.infer<typeof GapsResponse>;

/**
 * pack: outbound packing; return: unboxing a returned parcel; ship: the parcel handed over to the
 * courier at the dispatch point (发货交接), the last link of "from packing to shipping".
 */
export const ClipMode = z.enum(['pack', 'return', 'ship']);
export type ClipMode = z.infer<typeof ClipMode>;

/** item: a product's own code (EAN/UPC, a SKU) scanned onto a clip; never names the parcel. */
export const CodeKind = z.enum(['order', 'waybill', 'item']);
export type CodeKind = z.infer<typeof CodeKind>;

/** recording: still open; closed: ended normally; cancelled: PW-CANCEL (kept, never deleted); interrupted: the station died mid-clip. */
export const ClipStatus = z.enum(['recording', 'closed', 'cancelled', 'interrupted']);
export type ClipStatus = z.infer<typeof ClipStatus>;

export const ClipCode = z.object({ code: z.string(), kind: CodeKind, scannedAt: IsoTime });
export type ClipCode = z.infer<typeof ClipCode>;

// --- Faults: damaged segment files -------------------------------------------------
/**
 * A segment whose file no longer has the size and SHA-256 it was indexed with (found by the background
 * scrub, a clip cut or an export). truncated: shorter than indexed; altered: same length or longer, other bytes.
 */
export const SegmentDamage = z.object({
  segmentId: z.number().int(),
  file: z.string(),
  startedAt: IsoTime,
  endedAt: IsoTime,
  kind: z.enum(['truncated', 'altered']),
  /** One sentence: what was found. */
  detail: z.string(),
  foundAt: IsoTime,
});
export type SegmentDamage = z.infer<typeof SegmentDamage>;
// --- end faults ----------------------------------------------------------------------------------

export const ClipFootage = z.enum(['none', 'partial', 'complete']);
export type ClipFootage = z.infer<typeof ClipFootage>;

export const Clip = z.object({
  id: z.number().int(),
  station: z.string(),
  camera: z.string(),
  mode: ClipMode,
  status: ClipStatus,
  /** The codes as scanned, in scan order. */
  codes: z.array(z.string()),
  codeDetails: z.array(ClipCode),
  startedAt: IsoTime,
  /** null while recording. */
  endedAt: IsoTime.nullable(),
  /** The clip MP4: null until it is written. */
  video: z
    .object({
      bytes: z.number().int(),
      sha256: z.string(),
      durationMs: z.number().int(),
      /** Frames per second, measured from the MP4's packets (the player steps by it); null or absent: not known. */
      fps: z.number().positive().nullable().optional(),
    })
    .nullable(),
  /** Why it ended: a switch, a stop code, the maximum length, a cancel, a crash. */
  endReason: z.string().nullable(),
  /** Disputed: never deleted automatically. */
  protected: z.boolean(),
  note: z.string().nullable(),
  hasThumbnail: z.boolean(),
  /** Stretches inside the clip where the camera recorded nothing (ffmpeg restarted, camera unplugged). */
  gaps: z.array(Gap),
  /** Segments of the clip's footage found damaged on disk (faults); empty when all check out. */
  damage: z.array(SegmentDamage),
  /** Retention deleted its video (or footage of its range) at this time; the record stays. null: not expired. */
  videoExpiredAt: IsoTime.nullable(),
  /**
   * Whether the camera recorded the clip's time (so far, while it records): `none` when one of its
   * gaps covers all of it (the camera was not recording: the clip has no video and cannot be
   * exported), `partial` when gaps cover some, else `complete`.
   */
  footage: ClipFootage,
  /** The imported order the clip packed, as it was when scanned; null: no order known. Absent from older stations. */
  order: z.lazy(() => ScannedOrder).nullable().optional(),
  /** The packer signed in at the bench when the clip started (badge name); null: nobody. */
  packer: z.string().nullable().optional(),
  /** That packer's name when the clip started (the badge code when the badge had no name); null: nobody. */
  packerName: z.string().nullable().optional(),
  /**
   * The same parcel's clips in another mode: its packing clip and its hand-over clip link
   * each other. Found by a code in common (normalised) or the same imported order; oldest first.
   * Only in GET /api/clips/:id; absent from older stations.
   */
  related: z.array(z.lazy(() => RelatedClip)).optional(),
  /**
   * Every camera of the station for the clip's time range, the main camera first (its video is
   * `video` above, at /api/clips/:id/video); the others at /api/clips/:id/video?camera=ID. Only in
   * GET /api/clips/:id; absent from older stations.
   */
  cameras: z.array(z.lazy(() => ClipCamera)).optional(),
});
export type Clip = z.infer<typeof Clip>;

/** One camera's view of a clip (Clip.cameras). */
export const ClipCamera = z.object({
  id: z.string(),
  /** What the station calls the camera (its spec, any password removed). */
  name: z.string(),
  /** The station's main camera (the first --camera): its video is the clip's own. */
  main: z.boolean(),
  /** Its MP4 is cut and on disk (false while being cut, when the camera recorded nothing of it, or after retention). */
  hasVideo: z.boolean(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  fps: z.number().positive().nullable(),
});
export type ClipCamera = z.infer<typeof ClipCamera>;

/** A clip of the same parcel in another mode (Clip.related). On the hub, `id` is the hub's and `station` the bench's name. */
export const RelatedClip = z.object({
  id: z.number().int(),
  station: z.string(),
  mode: ClipMode,
  status: ClipStatus,
  codes: z.array(z.string()),
  startedAt: IsoTime,
  endedAt: IsoTime.nullable(),
});
export type RelatedClip = z.infer<typeof RelatedClip>;

/** One row of a search result. */
export const ClipSummary = Clip.pick({ id: true, station: true, mode: true, status: true, codes: true, startedAt: true, endedAt: true, protected: true, hasThumbnail: true, videoExpiredAt: true, packer: true, packerName: true }).extend({
  hasVideo: z.boolean(),
});
export type ClipSummary = z.infer<typeof ClipSummary>;

export const ClipSearchResponse = z.object({
  items: z.array(ClipSummary),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ClipSearchResponse = z.infer<typeof ClipSearchResponse>;

/** GET /api/clips query: every field optional; `q` is any fragment of a code (spaces and dashes ignored). */
export const ClipSearchQuery = z.object({
  q: z.string().max(128).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  mode: ClipMode.optional(),
  station: z.string().max(64).optional(),
  status: ClipStatus.optional(),
  protected: z.enum(['true', 'false']).optional(),
  /** Clips started while this packer was signed in: the badge code, or the packer's name. */
  packer: z.string().max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type ClipSearchQuery = z.infer<typeof ClipSearchQuery>;

export const ClipPatch = z
  .object({ protected: z.boolean().optional(), note: z.string().max(2000).nullable().optional() })
  .refine((p) => p.protected !== undefined || p.note !== undefined, { message: 'send protected and/or note' });
export type ClipPatch = z.infer<typeof ClipPatch>;

export const AuditEntry = z.object({
  at: IsoTime,
  actor: z.string(),
  action: z.enum(['view', 'protect', 'unprotect', 'note', 'export', 'claim']),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditResponse = z.object({ entries: z.array(AuditEntry) });
export type AuditResponse = z.infer<typeof AuditResponse>;

/** The form codes are searched in: upper case, without the spaces and dashes people type. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * What a scan did. `mode` is the one action beyond the clip's lifecycle: a PW-PACK / PW-RETURN code
 * switched the station's mode without touching any clip.
 */
export const ScanAction = z.enum(['started', 'switched', 'attached', 'stopped', 'ignored', 'rejected', 'mode', 'packer']);
export type ScanAction = z.infer<typeof ScanAction>;

/** Why a scan did what it did (electron/station/scans/clip-state-machine.ts decides; the screens pick a sound by it). */
export const ScanReason = z.enum([
  'next-scan', 'stop-code', 'repeat-scan', 'cancel-code', 'max-length', 'first-scan', 'waybill-attached', 'double-scan', 'already-on-clip',
  'nothing-to-stop', 'ignore-rule', 'mode-set', 'empty', 'control-characters', 'too-long', 'no-rule', 'unknown-command', 'not-expired',
  // Packers: a badge signs its packer in at the bench (the previous one out); PW-LOGOUT signs out.
  'packer-signed-in', 'packer-signed-out',
  // Product codes: attached to the open clip; ignored with none open; in SKU-first mode one starts a
  // clip that the first order or waybill scanned then files under that number.
  'item-attached', 'item-no-clip', 'item-started', 'filed-under',
  // The idle stop: no scan and little motion for the set time ended the clip; 'not-idle' is its check that found activity.
  'idle', 'not-idle',
]);
export type ScanReason = z.infer<typeof ScanReason>;

/**
 * A clip is open but the station is not recording: the parcel on the bench is NOT being
 * filmed. camera-not-recording: the camera is down, stalled or between two runs; disk-full: recording
 * paused for free space. The clip still runs: footage may come back before it ends.
 */
export const ScanWarningCode = z.enum(['camera-not-recording', 'disk-full']);
export type ScanWarningCode = z.infer<typeof ScanWarningCode>;
/** `message` in both languages for clients that print it; `text` the same as a message the UI renders (absent from older stations). */
export const ScanWarning = z.object({ code: ScanWarningCode, message: LocalizedText, text: MessageBody.optional() });
export type ScanWarning = z.infer<typeof ScanWarning>;

export const ScanRequest = z.object({ code: z.string().max(4096) });
export type ScanRequest = z.infer<typeof ScanRequest>;

export const ScanResponse = z.object({
  action: ScanAction,
  /** The clip the scan affected (started, switched to, attached to, stopped), or null. */
  id: z.number().int().nullable(),
  /** The clip a switch ended. */
  endedId: z.number().int().nullable(),
  /** The code as understood (trimmed, prefix removed), and what it was taken for. */
  code: z.string(),
  kind: z.enum(['order', 'waybill', 'item', 'command', 'ignore', 'invalid', 'packer']),
  mode: ClipMode,
  /** What the station says, in both languages: what a second scanner app or the CLI prints, and what the scan log keeps. */
  message: LocalizedText,
  /** The same as a catalogue message, which the UI renders in its language; absent when there is nothing to say, and from older stations. */
  text: MessageBody.optional(),
  /** Set when the code is already on a clip from the last 30 days (re-ship or mistake). */
  duplicateOf: z.array(z.object({ id: z.number().int(), startedAt: IsoTime })).default([]),
  at: IsoTime,
  /** Optional: older stations do not send it. */
  reason: ScanReason.optional(),
  /**
   * Whether the station was recording at the moment of the scan (camera state `recording`, not paused
   * for a full disk). Absent from older stations and from the scan log.
   */
  recording: z.boolean().optional(),
  /** Set when a clip is open after this scan while the station is not recording; null otherwise. */
  warning: ScanWarning.nullable().optional(),
  /** The imported order the clip packs (the code is its number or one of its waybills); null: none known. Absent from older stations. */
  order: z.lazy(() => ScannedOrder).nullable().optional(),
  /** The packer signed in at the bench after this scan; null: nobody. */
  packer: z.string().nullable().optional(),
  /** Their name (the badge code when the badge has no name); null: nobody. */
  packerName: z.string().nullable().optional(),
});
export type ScanResponse = z.infer<typeof ScanResponse>;

export const ScanLogEntry = ScanResponse.extend({ raw: z.string() });
export type ScanLogEntry = z.infer<typeof ScanLogEntry>;

export const ScansResponse = z.object({ scans: z.array(ScanLogEntry) });
export type ScansResponse = z.infer<typeof ScansResponse>;

/**
 * Scan settings (GET/PUT /api/settings/scan): how codes are classified and how scans drive clips.
 * The server validates with this schema on save; the settings screen validates with it as you type.
 */
export const RuleKind = z.enum(['order', 'waybill', 'item', 'command', 'ignore', 'packer']);
export type RuleKind = z.infer<typeof RuleKind>;

/**
 * A name from the settings (a rule's, a preset's): no control characters, line breaks or bidi marks
 * (text-safety.ts). Checked before any trimming, so a name is refused rather than quietly changed.
 */
const SafeName = (max: number, unsafe: string = SchemaMessage.nameUnsafe) => z.string().refine(isSafeText, unsafe).max(max);

export const ScanRule = z.object({
  name: SafeName(64).min(1),
  kind: RuleKind,
  /**
   * A regular expression in RE2 syntax (JavaScript's, without backreferences or lookaround; see
   * shared/rule-pattern.ts), matched case-insensitively against the whole cleaned code.
   */
  pattern: z.string().min(1).max(512),
  /**
   * gs1: the rule applies only to digits whose last one is a valid GS1 check digit (EAN-8, UPC-A,
   * EAN-13, ITF-14): a product code, not an order or waybill number of the same length that happens
   * to match the pattern (9 in 10 of those fail the check).
   */
  check: z.enum(['gs1']).optional(),
});
export type ScanRule = z.infer<typeof ScanRule>;

export const CommandCodes = z.object({
  stop: z.string().min(1).max(64),
  cancel: z.string().min(1).max(64),
  pack: z.string().min(1).max(64),
  return: z.string().min(1).max(64),
  /** Hand-over mode. Defaulted: settings saved before it existed still parse. */
  ship: z.string().min(1).max(64).default('PW-SHIP'),
});
export type CommandCodes = z.infer<typeof CommandCodes>;
export type CommandName = keyof CommandCodes;

export const ScanSettings = z
  .object({
    preRollMs: z.number().int().min(0).max(30_000),
    postRollMs: z.number().int().min(0).max(30_000),
    maxClipMs: z.number().int().min(10_000).max(4 * 3600_000),
    /** The same code again within this long is a double scan and ignored. */
    doubleScanMs: z.number().int().min(0).max(10_000),
    /** The same code again later: ignore it, or take it as "done" and stop the clip. */
    repeatScan: z.enum(['ignore', 'stop']),
    /** A waybill scanned during a clip that has no waybill yet joins that clip (label printed last). */
    attachWaybill: z.boolean(),
    duplicateWindowDays: z.number().int().min(0).max(365),
    commands: CommandCodes,
    rules: z.array(ScanRule).max(200),
    /**
     * This bench is the dispatch point: the station starts in hand-over mode. Defaulted,
     * like those below, so settings saved before they existed still parse.
     */
    dispatchPoint: z.boolean().default(false),
    /** A hand-over clip ends by itself this long after it starts (the parcel leaving takes seconds), or at maxClipMs if shorter. */
    handoverClipMs: z.number().int().min(5_000).max(10 * 60_000).default(30_000),
    /**
     * What starts a clip when none is open. order: an order or waybill number (product codes are then
     * attached or ignored); item: also a product code, for shops that print the label after packing:
     * the first order or waybill scanned files the clip under it, and the next product code after
     * that starts the next parcel's clip. Defaulted: settings saved before it still parse.
     */
    startOn: z.enum(['order', 'item']).default('order'),
    /**
     * The idle stop: an open clip ends when the bench showed no scan and little motion for this long,
     * at the last activity (0: off). Defaulted: settings saved before it existed still parse.
     */
    idleStopMs: z
      .number()
      .int()
      .min(0)
      .max(4 * 3600_000)
      .refine((v) => v === 0 || v >= 3_000, SchemaMessage.idleStop)
      .default(300_000),
  })
  .superRefine((s, ctx) => {
    // Compiling costs time: stop at the first refused rule, and once the total is over the budget.
    let total = 0;
    for (const [i, r] of s.rules.entries()) {
      const c = compileRulePattern(r.pattern);
      if (!c.ok) {
        const params = { name: r.name, ...c.refusal.params };
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'pattern'], message: schemaMessage(c.refusal.key, params), params: { messageKey: c.refusal.key, ...params } });
        break;
      }
      total += c.size;
      if (total > RULES_PROGRAM_MAX) {
        const params = { size: `${total}+`, max: String(RULES_PROGRAM_MAX) };
        ctx.addIssue({ code: 'custom', path: ['rules'], message: schemaMessage('rulesTooLarge', params), params: { messageKey: 'rulesTooLarge', ...params } });
        break;
      }
    }
    const codes = Object.values(s.commands).map((c) => c.toUpperCase());
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: ['commands'], message: SchemaMessage.commandCodesDiffer });
  });
export type ScanSettings = z.infer<typeof ScanSettings>;


/**
 * Exports for appeals. A platform preset is a size and length cap (PRODUCT.md; platforms change them,
 * so presets are editable). `original` is the clip file as recorded; anything with a limit is re-encoded.
 */
export const ExportPreset = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/, SchemaMessage.presetId),
  name: z.object({ 'zh-CN': SafeName(64).min(1), en: SafeName(64).min(1) }),
  /** null: no size cap. */
  maxMb: z.number().positive().max(4096).nullable(),
  /** null: no length cap. */
  maxSeconds: z.number().positive().max(4 * 3600).nullable(),
  /** The platform takes images only: the evidence sheet is what gets uploaded. */
  imagesOnly: z.boolean().default(false),
  /**
   * How many still frames (JPEG, time and codes burned in) an images-only export adds, chosen from the
   * moments matched to the claim photos, then spread over the clip. Unset: 6 (TikTok Shop's number).
   */
  stills: z.number().int().min(1).max(20).optional(),
  /**
   * The limits are the platform's own, from its published help pages (PRODUCT.md). false: a
   * conservative guess where the platform publishes none, or limits typed in by the operator; the
   * export panel then says to check the platform's current rules.
   */
  published: z.boolean().default(false),
  /** Shown under the platform in the export panel, in the UI's language. */
  note: z.object({ 'zh-CN': SafeName(500), en: SafeName(500) }).default({ 'zh-CN': '', en: '' }),
});
export type ExportPreset = z.infer<typeof ExportPreset>;

export const ExportPresets = z
  .array(ExportPreset)
  .max(50)
  .superRefine((list, ctx) => {
    const ids = list.map((p) => p.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: SchemaMessage.presetIdsDiffer });
  });
export type ExportPresets = z.infer<typeof ExportPresets>;

export const ExportRequest = z
  .object({
    /** A preset id; its limits apply unless maxMb/maxSeconds are given. Without preset or limits: original. */
    preset: z.string().max(32).optional(),
    maxMb: z.number().positive().max(4096).optional(),
    maxSeconds: z.number().positive().max(4 * 3600).optional(),
    /** The evidence strip (codes, station, times, clip id, hash) below the picture. Forces a re-encode. */
    banner: z.boolean().default(false),
    /** The key-frame sheet (PNG + PDF). */
    sheet: z.boolean().default(true),
    /**
     * A clip filmed by several cameras: also one MP4 with every view side by side (role `composite`),
     * for platforms that take one file; fitted to the same limits. Refused for a one-camera clip.
     */
    composite: z.boolean().default(false),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  })
  .strict();
export type ExportRequest = z.input<typeof ExportRequest>;

/**
 * The downloadable files of an export job, one per role. The other cameras' videos (`camera-video`,
 * one per camera) are in the bundle folder and its zip, not downloadable one by one.
 */
export const ExportFileRole = z.enum(['video', 'composite', 'sheet-png', 'sheet-jpg', 'sheet-pdf', 'manifest', 'signature', 'public-key', 'checksums', 'chain', 'how-to-verify', 'zip']);
export type ExportFileRole = z.infer<typeof ExportFileRole>;

/** How a fit-to-limit export was made, so a reviewer knows what changed from the original. */
export const ExportPlan = z.object({
  kind: z.enum(['original', 'fit']),
  /** Seconds into the clip: trimmed pre/post-roll shows here. */
  fromSec: z.number(),
  toSec: z.number(),
  /** 1 = real time; 2 = shown at double speed (marked in the picture). */
  speed: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  /** The rate cap chosen from the size limit (bits/s); null for original. */
  maxrate: z.number().int().nullable(),
  maxBytes: z.number().int().nullable(),
  banner: z.boolean(),
  /**
   * Set on an `original` plan chosen because the clip already met the limits asked for (a preset's or
   * MB / seconds): those limits. The video is then the clip file byte for byte, not a re-encode.
   */
  withinLimits: z.object({ maxBytes: z.number().int().nullable(), maxSeconds: z.number().nullable() }).nullable().optional(),
});
export type ExportPlan = z.infer<typeof ExportPlan>;

export const ExportJobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type ExportJobState = z.infer<typeof ExportJobState>;

export const ExportJob = z.object({
  id: z.string(),
  clipId: z.number().int(),
  state: ExportJobState,
  phase: z.enum(['waiting', 'video', 'sheet', 'sealing', 'finished']),
  /** 0-100 over the whole job. */
  percent: z.number(),
  etaSeconds: z.number().nullable(),
  error: z.string().nullable(),
  /** `error` as a catalogue message the UI renders in its language, when the failure is one the station words for people (null otherwise). */
  errorMessage: MessageBody.nullable(),
  plan: ExportPlan.nullable(),
  files: z.array(z.object({ role: ExportFileRole, name: z.string(), bytes: z.number().int(), sha256: z.string() })),
  createdAt: IsoTime,
  finishedAt: IsoTime.nullable(),
});
export type ExportJob = z.infer<typeof ExportJob>;

// ---- Retention settings ----
/** Retention (GET/PUT /api/settings/retention): how long footage is kept and how much disk stays free. */
export const RetentionSettings = z.object({
  keepClipsDays: z.number().int().min(1).max(3650),
  keepOrphanHours: z.number().int().min(1).max(24 * 365),
  minFreeGb: z.number().min(0).max(100_000),
  minFreePercent: z.number().min(0).max(90),
  /**
   * Finished exports (exports/ in the data folder) are deleted this many days after they were made,
   * except while their clip is protected. Defaults for settings saved before it existed.
   */
  keepExportsDays: z.number().int().min(1).max(3650).default(14),
  /**
   * On a station joined to a hub, a clip's video and footage are deleted (by age or disk pressure) only
   * after the hub has confirmed the SHA-256 of its copy, so the only copy of evidence never goes. Off:
   * retention deletes as on a station without a hub.
   */
  waitForHubCopy: z.boolean().default(true),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;


/**
 * Every refusal: `error` is one English sentence (logs, the CLI, scripts). When the refusal is one a
 * person meets in the UI it also carries `code` and `params`, a shared/messages catalogue entry the
 * UI renders in its language (falling back to `error` for a code it does not know), and `message`,
 * the same sentence in both languages for clients older than the codes.
 */
export const ErrorResponse = z.object({ error: z.string(), code: z.string().optional(), params: MessageParamsBody.optional(), message: LocalizedText.optional() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/**
 * Roles: the operator holds the station token (everything); a viewer logged in with the viewer
 * password (LAN mode) and may search, watch, protect, annotate and export clips.
 */
export const Role = z.enum(['operator', 'viewer']);
export type Role = z.infer<typeof Role>;

/** POST /api/login. */
export const LoginRequest = z.object({ password: z.string().min(1).max(1024) });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** GET /api/session (no credentials needed): who this browser is, and whether a password login exists. */
export const SessionResponse = z.object({
  role: Role.nullable(),
  /** True when the station is shared on the network (LAN mode) and a viewer can log in with a password. */
  viewerLogin: z.boolean(),
  /** Warehouse hub: true when the page is served by a hub (the library over every station). */
  hub: z.boolean().optional(),
  /** Hub only: the office account signed in (null: the admin token, or nobody). */
  user: z.object({ name: z.string(), role: z.enum(['admin', 'service']) }).nullable().optional(),
  /** Hub only: the hub has no accounts yet and this browser holds the READY link, so it may create the first admin. */
  firstAdmin: z.boolean().optional(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

// ---- Hub office accounts ----
/** admin: pairs stations and manages accounts; service: searches, plays, exports and reads statistics. */
export const HubUserRole = z.enum(['admin', 'service']);
export type HubUserRole = z.infer<typeof HubUserRole>;
export const HUB_PASSWORD_MIN = 10;
/** A person's name as they type it at login: no control characters, no leading or trailing spaces. */
export const HubUserName = z
  .string()
  .min(1)
  .max(64)
  .refine((s) => s === s.trim() && ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), 'a name has no control characters and no spaces at its ends');
export const HubPassword = z.string().min(HUB_PASSWORD_MIN, `a password has at least ${HUB_PASSWORD_MIN} characters`).max(1024);
/** POST /api/login on the hub. */
export const HubLoginRequest = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
export type HubLoginRequest = z.infer<typeof HubLoginRequest>;
/** POST /api/users (and POST /api/setup/first-admin, whose role is always admin). */
export const HubNewUser = z.object({ name: HubUserName, role: HubUserRole, password: HubPassword });
export type HubNewUser = z.infer<typeof HubNewUser>;
/** PUT /api/users/:id: any of the three. */
export const HubUserChange = z.object({ role: HubUserRole.optional(), disabled: z.boolean().optional(), password: HubPassword.optional() }).strict();
export type HubUserChange = z.infer<typeof HubUserChange>;
export const HubUser = z.object({ id: z.number().int(), name: z.string(), role: HubUserRole, disabled: z.boolean(), createdAt: z.string() });
export type HubUser = z.infer<typeof HubUser>;
export const HubUsersResponse = z.object({ users: z.array(HubUser) });
export type HubUsersResponse = z.infer<typeof HubUsersResponse>;
/** GET /api/audit (admins): the hub's latest events, newest first; `actor` names the person. */
export const HubAuditEntry = z.object({ at: z.string(), kind: z.string(), actor: z.string().nullable(), stationId: z.number().nullable(), address: z.string().nullable(), detail: z.record(z.string(), z.unknown()) });
export const HubAuditResponse = z.object({ events: z.array(HubAuditEntry) });
export type HubAuditResponse = z.infer<typeof HubAuditResponse>;

// ---- Station settings: the settings screen's sections ----
/**
 * Each section is stored as one JSON value in SQLite and saved on its own (GET/PUT per route below).
 * The server validates a PUT with these schemas and answers 400 with one sentence; the settings screen
 * validates with the same schemas as the operator types. Precedence: a CLI flag given at start
 * (--station, --camera, --host) wins over the stored value for that start; saving a section applies it
 * (live where possible) and stores it for the next start.
 */

/** GET/PUT /api/settings/station: both names are burned into the video (applied at once). */
export const StationIdentitySettings = z.object({
  stationName: z.string().refine(isSafeText, SchemaMessage.stationNameUnsafe).trim().min(1, SchemaMessage.stationNameEmpty).max(64, SchemaMessage.stationNameLong),
  /** Who packs at this bench; '' for nobody in particular. */
  operatorName: z.string().refine(isSafeText, SchemaMessage.operatorNameUnsafe).trim().max(64, SchemaMessage.operatorNameLong),
});
export type StationIdentitySettings = z.infer<typeof StationIdentitySettings>;

/** The recording quality: the encoder presets of recorder/ffmpeg-command.ts. */
export const RecordingQuality = z.enum(['standard', 'economy']);
export type RecordingQuality = z.infer<typeof RecordingQuality>;

/**
 * Why the station would refuse a camera spec, or null when it takes it: `auto`, or whatever the
 * station's own parser (shared/camera-spec.ts) accepts. One rule set, so the settings screen and the
 * station never disagree about a spec.
 */
export function cameraSpecRefusal(spec: string): CameraSpecError | null {
  if (spec.trim() === 'auto') return null;
  try {
    parseCameraSpec(spec);
    return null;
  } catch (err) {
    if (err instanceof CameraSpecError) return err;
    throw err;
  }
}

/** cameraSpecRefusal as one sentence; null when the station takes the spec. */
export function cameraSpecProblem(spec: string): string | null {
  return cameraSpecRefusal(spec)?.message ?? null;
}

export const CameraSpecField = z
  .string()
  .trim()
  .min(1, SchemaMessage.cameraEmpty)
  .max(1024)
  .superRefine((s, ctx) => {
    if (s === '') return;
    const refusal = cameraSpecRefusal(s);
    // The key and params let the settings screen word the parser's sentence in its own language.
    if (refusal) ctx.addIssue({ code: 'custom', message: refusal.message, params: { messageKey: refusal.key, ...refusal.params } });
  });

/** GET/PUT /api/settings/camera: applied by restarting the recording (a gap of a few seconds is recorded). */
export const CameraSettings = z.object({
  /** 'auto' (the first camera found), a spec from GET /api/cameras, or a network camera's URL (rtsp://, tcp://, http(s)://). */
  spec: CameraSpecField,
  /** 'auto' keeps the camera's own size; WIDTHxHEIGHT asks a USB camera (or the demo) for it. RTSP cameras set theirs in their own web page. */
  resolution: z
    .string()
    .regex(/^(auto|\d{3,4}x\d{3,4})$/, SchemaMessage.resolution)
    .refine((v) => v === 'auto' || v.split('x').every((n) => Number(n) % 2 === 0), SchemaMessage.resolutionEven),
  /** null keeps the camera's own rate (30 for USB cameras). */
  fps: z.number().int().min(1, SchemaMessage.fps).max(60, SchemaMessage.fps).nullable(),
  quality: RecordingQuality,
});
export type CameraSettings = z.infer<typeof CameraSettings>;

/** One camera of the list: what to record from, what people call it, and its own size, rate and quality. */
export const CameraEntry = CameraSettings.extend({
  /** Shown in the settings, the station status and the clip page ('' = the spec, any password masked). */
  name: z.string().refine(isSafeText, SchemaMessage.cameraNameUnsafe).trim().max(64, SchemaMessage.cameraNameLong),
  /**
   * The station's id for it (folders runs/<id>/, rows, /api/clips/:id/video?camera=ID), set by the
   * station: kept while the camera keeps its spec, ignored in a PUT.
   */
  id: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
});
export type CameraEntry = z.infer<typeof CameraEntry>;

/**
 * GET/PUT /api/settings/cameras: every camera in order, the first the main one (its picture drives the
 * clip boundaries and the idle stop). A save restarts only the cameras whose settings changed; an added
 * camera starts, a removed one stops (its footage and clips stay under its id).
 */
export const CameraListSettings = z.object({
  cameras: z
    .array(CameraEntry)
    .min(1, SchemaMessage.camerasEmpty)
    .max(MAX_CAMERAS, SchemaMessage.camerasTooMany)
    .superRefine((cams, ctx) => {
      const seen = new Set<string>();
      cams.forEach((c, i) => {
        if (seen.has(c.spec)) ctx.addIssue({ code: 'custom', path: [i, 'spec'], message: schemaMessage('cameraSpecTwice', { spec: maskCredentials(c.spec) }), params: { messageKey: 'cameraSpecTwice', spec: maskCredentials(c.spec) } });
        seen.add(c.spec);
      });
    }),
});
export type CameraListSettings = z.infer<typeof CameraListSettings>;

/** GET /api/cameras: the cameras this computer offers (v4l2, dshow or avfoundation specs), plus the demo. */
export const CamerasResponse = z.object({ cameras: z.array(z.object({ spec: z.string(), label: z.string() })) });
export type CamerasResponse = z.infer<typeof CamerasResponse>;

/** POST /api/cameras/test: grab one frame from a camera (the RTSP "test connection" button). */
export const CameraTestRequest = z.object({ spec: CameraSpecField });
export type CameraTestRequest = z.infer<typeof CameraTestRequest>;
export const CameraTestResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), jpegBase64: z.string(), ms: z.number().int() }),
  /** One sentence: unreachable, refused, wrong password, no such stream, no answer in time. */
  z.object({ ok: z.literal(false), error: z.string(), ms: z.number().int() }),
]);
export type CameraTestResult = z.infer<typeof CameraTestResult>;

/** GET/PUT /api/settings/display: the default for browsers that have not chosen themselves (GET is open to viewers). */
export const DisplaySettings = z.object({
  /** null: each browser's own language (Chinese for a Chinese browser, else English). */
  language: z.enum(['zh-CN', 'en']).nullable(),
  sounds: z.boolean(),
});
export type DisplaySettings = z.infer<typeof DisplaySettings>;

/** GET /api/settings/lan: whether the next start shares the station on the network (the password is stored only as a scrypt hash). */
export const LanSettings = z.object({ enabled: z.boolean(), passwordSet: z.boolean() });
export type LanSettings = z.infer<typeof LanSettings>;
/** PUT /api/settings/lan: applied at the next start; turning it on needs a viewer password (or one saved before). */
export const LanSettingsUpdate = z.object({
  enabled: z.boolean(),
  /** A new viewer password; omit to keep the saved one. */
  viewerPassword: z.string().min(8, SchemaMessage.viewerPasswordShort).max(256).optional(),
});
export type LanSettingsUpdate = z.infer<typeof LanSettingsUpdate>;

/** POST /api/settings/scan/test: how the server would classify `code` with these (unsaved) scan settings. */
export const ScanTestRequest = z.object({ code: z.string().max(4096), settings: z.unknown() });
export type ScanTestRequest = z.infer<typeof ScanTestRequest>;
export const ScanTestResult = z.object({
  /** The code as understood (cleaned). */
  code: z.string(),
  kind: z.enum(['order', 'waybill', 'item', 'command', 'ignore', 'invalid', 'packer']),
  /** The rule that matched, or null (a command code, or nothing matched). */
  rule: z.string().nullable(),
  /** Why an invalid code was refused. */
  reason: z.string().nullable(),
});
export type ScanTestResult = z.infer<typeof ScanTestResult>;

/** GET /api/settings/info: read-only facts the settings screen shows beside the sections. */
export const SettingsInfo = z.object({
  /** The data folder (database and footage); moving it is its own tool. */
  dataDir: z.string(),
  /** The camera recording now (password masked). */
  cameraInUse: z.string(),
  /** Whether the station is shared on the network right now. */
  lanActive: z.boolean(),
  /** CLI flags given at start, which win over the stored settings at every start. */
  cli: z.object({ camera: z.string().nullable(), host: z.string().nullable(), station: z.string().nullable() }),
  /** Storage folder move: the last move asked for from the settings since the station process started. */
  lastMove: z.lazy(() => LastMove).nullable(),
  /** A move under way that is copying sealed footage while recording continues (the last step, with recording paused, is not visible: the server is down then). */
  move: z.lazy(() => MoveCopying).nullable(),
});
export type SettingsInfo = z.infer<typeof SettingsInfo>;

// ---- Storage folder move from the settings ----
/**
 * POST /api/settings/storage/move: move the data folder to `to` (a full path; new or empty). 400 with
 * one sentence when it cannot work; else 202 and, once answered, the sealed footage is copied and
 * verified while recording goes on (progress in SettingsInfo.move); then the station stops, moves the
 * rest (copy, verify SHA-256, pointer, delete) and starts again on the same address and token.
 * Recording pauses only for that last step.
 */
export const StorageMoveRequest = z.object({ to: z.string().min(1).max(4096) });
export type StorageMoveRequest = z.infer<typeof StorageMoveRequest>;
export const StorageMoveAccepted = z.object({ from: z.string(), to: z.string(), requestedAt: IsoTime });
export type StorageMoveAccepted = z.infer<typeof StorageMoveAccepted>;
/** How the last move ended; on 'failed' the station runs on its old folder again and `error` is the one sentence. */
export const LastMove = z.object({
  from: z.string(),
  to: z.string(),
  state: z.enum(['done', 'failed']),
  error: z.string().nullable(),
  /** `error` as a catalogue message the UI renders in its language. */
  errorMessage: MessageBody.nullable(),
  requestedAt: IsoTime,
  at: IsoTime,
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  /** Of `files`, those copied and verified while the station still recorded (the rest were moved with recording paused). */
  precopiedFiles: z.number().int().nonnegative(),
});
export type LastMove = z.infer<typeof LastMove>;
/** Progress of the copy a move makes while the station still records (SettingsInfo.move). */
export const MoveCopying = z.object({
  to: z.string(),
  requestedAt: IsoTime,
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
});
export type MoveCopying = z.infer<typeof MoveCopying>;
// ---- end storage folder move ----

// ── Health page ──────────────────────────────────────────────────────────────

/**
 * GET /api/health/report: what an operator needs to trust the station for the next weeks: how full
 * the disk is and how fast it fills, what is kept, what went wrong lately. (`/api/health` stays the
 * bare public liveness check.)
 */
export const HealthReport = z.object({
  at: IsoTime,
  disk: z.object({
    /** The volume holding the data folder. */
    totalBytes: z.number().nonnegative(),
    freeBytes: z.number().nonnegative(),
    /** Segment (.ts) and clip (.mp4) files on disk, counted by walking the folders (refreshed at most every minute). */
    footageBytes: z.number().nonnegative(),
    footageMeasuredAt: IsoTime,
    /** The free space retention keeps: max(minFreeGb GB, minFreePercent % of the volume), GB = 10^9 bytes. */
    floorBytes: z.number().nonnegative(),
  }),
  rate: z.object({
    /** Bytes of indexed segments per 24 h of wall-clock time; null when less than an hour has been recorded. */
    bytesPerDay: z.number().nonnegative().nullable(),
    /** 'last-24h': over the last 24 hours; 'since-first-segment': less history exists, over all of it. */
    basis: z.enum(['last-24h', 'since-first-segment']),
    /** The wall-clock span the rate was measured over. */
    windowMs: z.number().nonnegative(),
    bytesInWindow: z.number().nonnegative(),
  }),
  forecast: z.object({
    /** Days until free space falls to the floor at the current rate; null unless `state` is 'days'. */
    daysLeft: z.number().nonnegative().nullable(),
    /**
     * - days:            daysLeft holds the forecast
     * - not-enough-data: less than an hour of footage to measure a rate from
     * - nothing-recorded: a rate was measured and it is zero (no end in sight)
     * - at-floor:        free space is already at or below the floor (retention must delete)
     */
    state: z.enum(['days', 'not-enough-data', 'nothing-recorded', 'at-floor']),
  }),
  oldestClip: z.object({ id: z.number().int(), startedAt: IsoTime, code: z.string().nullable() }).nullable(),
  counts: z.object({
    segments: z.number().int().nonnegative(),
    clips: z.number().int().nonnegative(),
    protectedClips: z.number().int().nonnegative(),
    gaps: z.number().int().nonnegative(),
  }),
  /** The station's last warnings and errors (at most 50, kept in memory since it started), newest first. */
  lastErrors: z.array(z.object({ at: IsoTime, level: z.enum(['warn', 'error']), message: z.string() })),
  /** Recording runs that ended today (local time) because ffmpeg died or was killed as stalled, not because it was asked to stop. */
  ffmpegRestartsToday: z.number().int().nonnegative(),
  startedAt: IsoTime,
  uptimeMs: z.number().nonnegative(),
  ffmpegVersion: z.string(),
  /**
   * The station process's memory (Node's process.memoryUsage()): all of it (RSS), and the JavaScript
   * heap inside it. A station runs for months: this is how a slow leak would be seen, and the soak
   * benchmark reads it to tell the heap from the rest.
   */
  memory: z.object({
    rssBytes: z.number().nonnegative(),
    heapUsedBytes: z.number().nonnegative(),
    heapTotalBytes: z.number().nonnegative(),
    /** Memory outside the heap held by JavaScript objects (buffers), as V8 counts it. */
    externalBytes: z.number().nonnegative(),
  }),
  /** The link to a warehouse hub and the upload backlog; absent on older stations. */
  hub: HubLinkStatus.optional(),
});
export type HealthReport = z.infer<typeof HealthReport>;
// ── end health page ───────────────────────────────────────────────────────────────────────────

/** Paths, so the renderer and tests never spell them by hand. */
// ---- Desktop app: crash log -------------------------------------------------------------
/** One crash from `<data>/logs/crash.log` (electron/station/crash-log.ts). */
export const CrashEntry = z.object({
  at: z.string(),
  source: z.string(),
  message: z.string(),
  stack: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type CrashEntry = z.infer<typeof CrashEntry>;
/** GET /api/logs/crash: newest first. */
export const CrashLogResponse = z.object({
  entries: z.array(CrashEntry),
  /** Crashes in the current log file (a rotated older file is not counted). */
  total: z.number().int().nonnegative(),
  /** The log file on the station's PC, for support to find it. */
  file: z.string(),
});
export type CrashLogResponse = z.infer<typeof CrashLogResponse>;
// ---- end desktop app --------------------------------------------------------------------------------

// ---- Hardware encoder setting: GET/PUT /api/settings/encoder -------------------------------
/** The hardware H.264 encoders recording can use, in order of preference for 'auto' (recorder/hardware-encoders.ts). */
export const HardwareEncoderName = z.enum(['h264_nvenc', 'h264_qsv', 'h264_amf', 'h264_videotoolbox', 'h264_vaapi']);
export type HardwareEncoderName = z.infer<typeof HardwareEncoderName>;
const HARDWARE_ENCODER_CHOICES = `auto, off or one of ${HardwareEncoderName.options.join(', ')}`;
/** 'auto': the first hardware encoder that passed its test encode; 'off': always libx264; a name: that one (libx264 if it fails at start). */
export const HardwareEncoderSetting = z.union([z.literal('auto'), z.literal('off'), HardwareEncoderName], {
  error: (iss) => `${JSON.stringify(iss.input) ?? 'nothing'} is not a hardware encoder setting: choose ${HARDWARE_ENCODER_CHOICES}.`,
});
export type HardwareEncoderSetting = z.infer<typeof HardwareEncoderSetting>;
/** PUT /api/settings/encoder: stored, then applied by restarting the recording run (a gap of a few seconds is recorded). */
export const EncoderSettings = z.object({ hardwareEncoder: HardwareEncoderSetting });
export type EncoderSettings = z.infer<typeof EncoderSettings>;
/** One hardware encoder's test encode on this PC, cached in `<data>/encoder-tests.json`. */
export const EncoderTestResult = z.object({
  encoder: HardwareEncoderName,
  /** Listed by this ffmpeg's `-encoders`. */
  compiled: z.boolean(),
  ok: z.boolean(),
  /** Why not, in ffmpeg's words. */
  error: z.string().nullable(),
  testedAt: z.string(),
});
export type EncoderTestResult = z.infer<typeof EncoderTestResult>;
/** GET /api/settings/encoder (and the PUT's answer). */
export const EncoderSettingsResponse = EncoderSettings.extend({
  /** The codec the current recording run encodes with ('libx264' after a fallback); null between two runs. */
  inUse: z.string().nullable(),
  /** The cached test results for this ffmpeg; null when it has not been tested (tests run at a start with 'auto', and in `packwitness doctor`). */
  tests: z.array(EncoderTestResult).nullable(),
});
export type EncoderSettingsResponse = z.infer<typeof EncoderSettingsResponse>;
// ---- end hardware encoder setting -------------------------------------------------------------------

// ---- orders and packers ------------------------------------------------------------------
/** An imported order as a scan answer, the station screen and a clip show it. The buyer is masked (张*三). */
export const ScannedOrderItem = z.object({ name: z.string(), sku: z.string().nullable(), qty: z.number().int().positive() });
export type ScannedOrderItem = z.infer<typeof ScannedOrderItem>;
export const ScannedOrder = z.object({
  orderNo: z.string(),
  platform: z.string().nullable(),
  buyer: z.string().nullable(),
  /** At most 50, in the export's order. */
  items: z.array(ScannedOrderItem),
  waybills: z.array(z.string()).optional(),
});
export type ScannedOrder = z.infer<typeof ScannedOrder>;

/** POST /api/orders: a shop pushes orders (operator token). Re-sending an order updates it. */
export const OrdersPushRequest = z.object({
  platform: z.string().max(64).optional(),
  orders: z
    .array(
      z.object({
        orderNo: z.string().min(1).max(64),
        platform: z.string().max(64).optional(),
        buyer: z.string().max(128).optional(),
        waybills: z.array(z.string().min(1).max(64)).max(50).optional(),
        items: z.array(z.object({ name: z.string().min(1).max(1000), sku: z.string().max(64).optional(), qty: z.number().int().min(1).max(100_000).default(1) })).max(500).optional(),
      }),
    )
    .min(1)
    .max(5_000),
});
export type OrdersPushRequest = z.input<typeof OrdersPushRequest>;
export const OrderImportResult = z.object({
  orders: z.number().int(),
  items: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** `reason` in English (the CLI, scripts); `text` the same as a message the settings screen renders (absent from older stations). */
  skipped: z.array(z.object({ line: z.number().int(), reason: z.string(), text: MessageBody.optional() })),
});
export type OrderImportResult = z.infer<typeof OrderImportResult>;
/** The columns an order file's rows are read from: field → the header text of its column. */
export const OrderField = z.enum(['orderNo', 'waybill', 'itemName', 'qty', 'sku', 'buyer', 'platform']);
export type OrderField = z.infer<typeof OrderField>;
export const OrderColumnMapping = z.object(Object.fromEntries(OrderField.options.map((f) => [f, z.string().min(1).max(200).optional()])) as Record<OrderField, z.ZodOptional<z.ZodString>>).strict();
export type OrderColumnMapping = z.infer<typeof OrderColumnMapping>;
export const OrderFileEncoding = z.enum(['utf-8', 'gb18030', 'xlsx']);
/**
 * POST /api/orders/file/preview?name=FILE (body: the file, application/octet-stream): what the
 * settings screen shows before an import: the header row, the first rows, and the mapping the import
 * would use (this source's remembered one, else the built-in guesses). Nothing is written.
 */
export const OrderFilePreview = z.object({
  name: z.string(),
  encoding: OrderFileEncoding,
  headers: z.array(z.string()),
  /** The first rows after the header, as text (line: the file's line or sheet row). */
  rows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })),
  rowCount: z.number().int(),
  mapping: OrderColumnMapping,
  /** True when the mapping is one remembered from an earlier import of a file with these headers. */
  remembered: z.boolean(),
});
export type OrderFilePreview = z.infer<typeof OrderFilePreview>;
/** POST /api/orders/file?name=FILE&mapping=JSON&platform=NAME (body: the file): the import, in one transaction. */
export const OrderFileImportResponse = OrderImportResult.extend({ encoding: OrderFileEncoding, mapping: OrderColumnMapping });
export type OrderFileImportResponse = z.infer<typeof OrderFileImportResponse>;
/** GET /api/stats?from&to: packing clips (mode pack, not cancelled) started in the period, by packer (null: nobody signed in). The hub answers it over all its stations, or one (`stationId`). */
export const PackerCount = z.object({ packer: z.string().nullable(), period: z.string(), parcels: z.number().int() });
export type PackerCount = z.infer<typeof PackerCount>;
export const StatsResponse = z.object({
  from: IsoTime,
  to: IsoTime,
  /**
   * Counted by badge code (`packer`); `name` is the badge's latest name beside it (the station: its
   * packers list, the code for a badge not listed; the hub: the name of that badge's most recent clip),
   * null for nobody.
   */
  packers: z.array(z.object({ packer: z.string().nullable(), name: z.string().nullable(), parcels: z.number().int(), medianPackingMs: z.number().nullable() })),
  /** Periods in the station's (on the hub: the hub's) local time: 'YYYY-MM-DD HH:00' and 'YYYY-MM-DD'. */
  hourly: z.array(PackerCount),
  daily: z.array(PackerCount),
  /** First scan to the scan that ended the clip (its end when no scan did, or the idle stop), median over the period; null: no clip. */
  medianPackingMs: z.number().nullable(),
  /** Clips with a duplicate scan, interrupted by a crash, or stopped at the maximum length; `clips` counts each clip once. */
  warnings: z.object({ duplicate: z.number().int(), interrupted: z.number().int(), tooLong: z.number().int(), clips: z.number().int() }),
});
export type StatsResponse = z.infer<typeof StatsResponse>;
/**
 * Packers (GET/POST /api/packers, PUT/DELETE /api/packers/:code, DELETE answering the list left; operator only): the name printed on
 * each badge. The code is stored upper case (as a scan stores the badge); a badge not listed still
 * signs in, its name then being its code. Names are burned into the video: one line, no control
 * characters.
 */
export const PACKER_NAME_MAX = 40;
export const PackerName = z
  .string()
  .refine(isSafeText, SchemaMessage.packerNameUnsafe)
  .trim()
  .min(1, SchemaMessage.packerNameEmpty)
  .max(PACKER_NAME_MAX, SchemaMessage.packerNameLong);
export const PackerCode = z
  .string()
  .trim()
  .min(1, SchemaMessage.packerCodeEmpty)
  .max(64, SchemaMessage.packerCodeLong)
  .regex(/^[!-~]+$/, SchemaMessage.packerCodeChars);
export const Packer = z.object({ code: z.string(), name: z.string(), createdAt: IsoTime, updatedAt: IsoTime });
export type Packer = z.infer<typeof Packer>;
export const PackersResponse = z.object({ packers: z.array(Packer) });
export type PackersResponse = z.infer<typeof PackersResponse>;
export const PackerCreate = z.object({ code: PackerCode, name: PackerName }).strict();
export type PackerCreate = z.infer<typeof PackerCreate>;
export const PackerRename = z.object({ name: PackerName }).strict();
export type PackerRename = z.infer<typeof PackerRename>;
// ---- end orders and packers ---------------------------------------------------------------------------

/**
 * The station's patterns with parameters, as registered (shared/route-table.ts's entries use them):
 * each written once, here rather than in the table because the table imports this file's schemas
 * and this file cannot import it back. `routes` below fills them.
 */
export const routePatterns = {
  clip: '/api/clips/:id',
  clipAudit: '/api/clips/:id/audit',
  clipThumbnail: '/api/clips/:id/thumbnail.jpg',
  clipVideo: '/api/clips/:id/video',
  clipVideoDownload: '/api/clips/:id/video/download',
  clipExport: '/api/clips/:id/export',
  clipClaims: '/api/clips/:id/claims',
  exportJob: '/api/exports/:id',
  exportFile: '/api/exports/:id/files/:role',
  claimPhotoPreview: '/api/claims/:claim/photos/:position/preview.jpg',
  claimAppealText: '/api/clips/:id/claims/:claim/appeal-text',
  packer: '/api/packers/:code',
} as const;

export const routes = {
  health: '/api/health',
  session: '/api/session',
  login: '/api/login',
  logout: '/api/logout',
  status: '/api/status',
  segments: '/api/segments',
  gaps: '/api/gaps',
  preview: '/api/preview.mjpeg',
  previewFrame: '/api/preview.jpg',
  scans: '/api/scans',
  scanSettings: '/api/settings/scan',
  clips: '/api/clips',
  exports: '/api/exports',
  clip: (id: number) => fillPath(routePatterns.clip, { id }),
  clipAudit: (id: number) => fillPath(routePatterns.clipAudit, { id }),
  clipThumbnail: (id: number) => fillPath(routePatterns.clipThumbnail, { id }),
  /** The main camera's video, or another camera's (`camera`: its id). */
  clipVideo: (id: number, camera?: string) => fillPath(routePatterns.clipVideo, { id }) + queryString({ camera }),
  /** One camera's video as a download named by the camera (`?camera=ID`; the main camera's without it). */
  clipVideoDownload: (id: number, camera?: string) => fillPath(routePatterns.clipVideoDownload, { id }) + queryString({ camera }),
  clipExport: (id: number) => fillPath(routePatterns.clipExport, { id }),
  exportJob: (id: string) => fillPath(routePatterns.exportJob, { id }),
  exportFile: (id: string, role: ExportFileRole) => fillPath(routePatterns.exportFile, { id, role }),
  exportPresets: '/api/settings/export-presets',
  /** The built-in presets as shipped (the settings screen's "reset"), operator only. */
  exportPresetDefaults: '/api/settings/export-presets/defaults',
  // Desktop app: the last crashes, operator-only (stacks name files on this PC).
  crashLog: '/api/logs/crash',
  // Station settings
  settingsInfo: '/api/settings/info',
  stationSettings: '/api/settings/station',
  cameraSettings: '/api/settings/camera',
  cameraListSettings: '/api/settings/cameras',
  displaySettings: '/api/settings/display',
  lanSettings: '/api/settings/lan',
  scanTest: '/api/settings/scan/test',
  cameras: '/api/cameras',
  cameraTest: '/api/cameras/test',
  retentionSettings: '/api/settings/retention',
  // Hardware encoder setting
  encoderSettings: '/api/settings/encoder',
  // Storage folder move
  storageMove: '/api/settings/storage/move',
  // Health page
  healthReport: '/api/health/report',
  // Claim check: the buyer's photos on a clip.
  clipClaims: (id: number) => fillPath(routePatterns.clipClaims, { id }),
  claimIdentify: '/api/claims/identify',
  claimPhotoPreview: (claimId: number, position: number) => fillPath(routePatterns.claimPhotoPreview, { claim: claimId, position }),
  /** text/plain: the appeal text (申诉说明) of a claim, in zh-CN or en; `maxChars` shortens it (shared/appeal-text.ts). */
  claimAppealText: (clipId: number, claimId: number, lang: 'zh-CN' | 'en', maxChars?: number) =>
    fillPath(routePatterns.claimAppealText, { id: clipId, claim: claimId }) + queryString({ lang, maxChars }),
  // Orders
  orders: '/api/orders',
  ordersFilePreview: '/api/orders/file/preview',
  ordersFile: '/api/orders/file',
  stats: '/api/stats',
  statsCsv: '/api/stats.csv',
  packers: '/api/packers',
  packer: (code: string) => fillPath(routePatterns.packer, { code }),
} as const;

// ---- Claim check ----

/**
 * What the station read in a buyer's file: a fact about the file, never a verdict on the buyer.
 * `kind` is stable (scripts and the claim sheet key on it); `statement` is one line in both UI
 * languages; `values` are the raw metadata values the statement rests on (tag name → text).
 */
export const ClaimFindingKind = z.enum([
  'aigc-label',
  'c2pa-manifest',
  'ai-source-type',
  'generator-text',
  'edited-by',
  'camera',
  'taken-at',
  'taken-before-packing',
  'no-camera-metadata',
]);
export type ClaimFindingKind = z.infer<typeof ClaimFindingKind>;
export const ClaimFinding = z.object({
  kind: ClaimFindingKind,
  /** Both languages: stored with the claim and written into the claim sheet and the bundle's findings file. */
  statement: LocalizedText,
  /** The same as a message the UI renders in its language; absent from findings stored before it was kept. */
  text: MessageBody.optional(),
  values: z.record(z.string(), z.string()),
});
export type ClaimFinding = z.infer<typeof ClaimFinding>;

export const ClaimBarcode = z.object({ format: z.string(), text: z.string(), clipIds: z.array(z.number().int()) });
export type ClaimBarcode = z.infer<typeof ClaimBarcode>;

/** Photos dropped on the library: the codes in them and the clips that carry those codes (nothing stored). */
export const ClaimIdentifyResponse = z.object({
  photos: z.array(
    z.object({
      name: z.string(),
      barcodes: z.array(ClaimBarcode),
      /** Why the photo could not be read (English), or null. */
      error: z.string().nullable(),
      /** The same sentence as a catalogue message the UI renders, when there is one. */
      text: MessageBody.optional(),
    }),
  ),
});
export type ClaimIdentifyResponse = z.infer<typeof ClaimIdentifyResponse>;

export const ClaimFile = z.object({
  position: z.number().int().min(1),
  kind: z.enum(['photo', 'video']),
  /** The name the buyer's file had when it was added: shown as text, never used as a path. */
  originalName: z.string(),
  bytes: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** What the file is by its content (not its name): jpeg, png, webp, heic, mp4, mov. */
  format: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** A station-made JPEG of the photo for the UI (false: none, e.g. a HEIC in a codec no decoder here reads). */
  hasPreview: z.boolean(),
  findings: z.array(ClaimFinding),
  /** Barcodes and QR codes read in the photo (a waybill label), each with the clips that carry that code. */
  barcodes: z.array(ClaimBarcode),
  /** The moments of the clip that look most like this photo, best first (at most 3): seconds from the clip's start, and the score (features one perspective explains). */
  matches: z.array(z.object({ atSeconds: z.number(), score: z.number() })),
});
export type ClaimFile = z.infer<typeof ClaimFile>;

export const Claim = z.object({
  id: z.number().int(),
  clipId: z.number().int(),
  createdAt: IsoTime,
  actor: z.string(),
  platform: z.string().nullable(),
  claimNumber: z.string().nullable(),
  buyerWords: z.string().nullable(),
  files: z.array(ClaimFile),
});
export type Claim = z.infer<typeof Claim>;
export const ClaimsResponse = z.object({ claims: z.array(Claim) });
export type ClaimsResponse = z.infer<typeof ClaimsResponse>;

/** The text fields of a new claim (multipart fields beside the files). */
export const ClaimFields = z.object({
  platform: z.string().trim().max(40).optional(),
  claimNumber: z.string().trim().max(80).optional(),
  buyerWords: z.string().trim().max(2000).optional(),
});
export type ClaimFields = z.infer<typeof ClaimFields>;
// ---- Warehouse hub ------------------------------------------------------------------------
/** POST /api/pairings (hub admin): a one-time pairing token for one station. */
export const HubPairingResponse = z.object({ token: z.string(), expiresAt: IsoTime });
export type HubPairingResponse = z.infer<typeof HubPairingResponse>;

/**
 * POST /api/hub/join (station → hub): the pairing token, the station's Ed25519 public key, and a
 * signature over the token made with that key (proof that the station holds the private key).
 */
export const HubJoinRequest = z.object({
  pairingToken: z.string().min(1).max(200),
  stationName: z.string().min(1).max(64),
  publicKeyPem: z.string().min(1).max(2000),
  /** base64 Ed25519 signature of joinProofText(pairingToken, fingerprint). */
  proof: z.string().min(1).max(200),
});
export type HubJoinRequest = z.infer<typeof HubJoinRequest>;

export const HubJoinResponse = z.object({
  stationId: z.number().int().positive(),
  /** The key the hub recorded, as the station's fingerprint (the station checks it is its own). */
  fingerprint: z.string(),
});
export type HubJoinResponse = z.infer<typeof HubJoinResponse>;

/** POST /api/hub/heartbeat (signed by the station): what the stations page shows. */
export const HubHeartbeat = z.object({
  stationName: z.string().max(64),
  recording: z.boolean(),
  /** Items waiting in the station's outbox. */
  backlog: z.number().int().nonnegative(),
  freeDiskBytes: z.number().int().nonnegative().nullable(),
  /** Days of recording the station's free disk holds at its recent rate; null: not known yet. */
  diskDaysLeft: z.number().nonnegative().nullable(),
  /** The station's clock when it sent this. */
  sentAt: IsoTime,
});
export type HubHeartbeat = z.infer<typeof HubHeartbeat>;

export const HubHeartbeatResponse = z.object({ ok: z.literal(true), hubTime: IsoTime });
export type HubHeartbeatResponse = z.infer<typeof HubHeartbeatResponse>;

/** One row of GET /api/stations on the hub. */
export const HubStation = z.object({
  id: z.number().int(),
  name: z.string(),
  fingerprint: z.string(),
  pairedAt: IsoTime,
  lastSeenAt: IsoTime.nullable(),
  online: z.boolean(),
  recording: z.boolean().nullable(),
  backlog: z.number().int().nullable(),
  diskDaysLeft: z.number().nullable(),
  /** Hub clock minus station clock at its last request, in ms (the station's times are kept as it signed them). */
  clockSkewMs: z.number().int().nullable(),
});
export type HubStation = z.infer<typeof HubStation>;

export const HubStationsResponse = z.object({ stations: z.array(HubStation) });
export type HubStationsResponse = z.infer<typeof HubStationsResponse>;

/** PUT /api/settings/hub: join a hub with a pairing token from its stations page. */
export const HubJoinSettings = z.object({
  url: z
    .string()
    .max(500)
    .refine((u) => /^https?:\/\/[^\s/]+/.test(u), { message: 'the hub address is http://HOST:PORT (as the hub printed it)' }),
  pairingToken: z.string().min(1).max(200),
});
export type HubJoinSettings = z.infer<typeof HubJoinSettings>;

/**
 * POST /api/hub/clips (signed by the station): a closed clip's record and the small files of its
 * sealed evidence bundle (base64), whose manifest the station signed; the video follows by PUT.
 */
/** A video the station declares it will send: the hub keeps only bytes with exactly this size and SHA-256. */
const HubUploadVideo = z.object({ bytes: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/), durationMs: z.number().int().nonnegative(), fps: z.number().positive().nullable() });

/** A camera id as the station makes them (recorder/camera-ids.ts): safe as a file name and a storage key. */
export const HubCameraId = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/, 'a camera id is letters, digits, dot, dash and underscore');

export const HubClipUpload = z.object({
  clip: z.object({
    id: z.number().int().positive(),
    stationName: z.string().max(64),
    camera: z.string().max(200),
    mode: ClipMode,
    status: ClipStatus,
    // Products scanned into the parcel count too: a wholesale carton can carry dozens of different EANs.
    codeDetails: z.array(ClipCode).max(500),
    startedAt: IsoTime,
    endedAt: IsoTime.nullable(),
    endReason: z.string().max(200).nullable(),
    protected: z.boolean(),
    note: z.string().max(2000).nullable(),
    /** The imported order the clip packed, as the station took it at the scan (absent from stations before orders). */
    order: ScannedOrder.nullable().optional(),
    /** The packer signed in at the bench when the clip started. */
    packer: z.string().max(64).nullable().optional(),
    /** First scan to the scan that ended the clip, as the station's statistics count it (absent from stations before hub statistics). */
    packingMs: z.number().int().nullable().optional(),
    /** A scan in the clip was a code already packed (the statistics' duplicate warning). */
    duplicateScan: z.boolean().optional(),
    /** That packer's name as the station had it then (absent from stations before packer names). */
    packerName: z.string().max(64).nullable().optional(),
    /** The main camera's video; null: it recorded none of the clip, and `cameras` carries the others' (one at least). */
    video: HubUploadVideo.nullable(),
    /**
     * Every camera of the clip, the main camera first (its video is `video` above), each other one's
     * video once it is cut (null before, or when that camera recorded nothing of the clip). Absent
     * from stations before several cameras.
     */
    cameras: z.array(z.object({ id: HubCameraId, name: z.string().max(300), main: z.boolean(), video: HubUploadVideo.nullable() })).max(8).optional(),
  }),
  bundle: z.object({
    /** The video's name in the bundle (the manifest lists it with role video; with no main video, the name the others' are named from). */
    videoName: z.string().max(200),
    /** name → base64 content: manifest.json, manifest.sig, chain.txt, SHA256SUMS, station.pub.pem, HOW-TO-VERIFY.txt. */
    files: z.record(z.string().max(200), z.string().max(4_000_000)),
  }),
});
export type HubClipUpload = z.infer<typeof HubClipUpload>;

export const HubClipUploadResponse = z.object({
  hubClipId: z.number().int(),
  /** The SHA-256 of the video the hub holds for this clip; null: send it. */
  videoSha256: z.string().nullable(),
  /** Each other camera whose video the record declared: the SHA-256 the hub holds for it, null: send it. Absent from hubs before several cameras. */
  cameras: z.record(z.string(), z.string().nullable()).optional(),
});
export type HubClipUploadResponse = z.infer<typeof HubClipUploadResponse>;

/** PUT /api/hub/clips/:stationClipId/video: what the hub stored, hashed as it wrote it. */
export const HubVideoUploadResponse = z.object({ sha256: z.string(), bytes: z.number().int() });
export type HubVideoUploadResponse = z.infer<typeof HubVideoUploadResponse>;

/** GET/PUT /api/settings/hub/upload on the station: the upload rate limit (null: no limit). */
export const HubUploadSettings = z.object({ maxMbps: z.number().positive().max(10_000).nullable() });
export type HubUploadSettings = z.infer<typeof HubUploadSettings>;

/** The hub's patterns with parameters (shared/hub-route-table.ts's entries use them; `hubRoutes` fills them). */
export const hubRoutePatterns = {
  uploadVideo: '/api/hub/clips/:stationClipId/video',
  uploadCameraVideo: '/api/hub/clips/:stationClipId/cameras/:camera/video',
  user: '/api/users/:id',
} as const;

export const hubRoutes = {
  health: '/api/health',
  pairings: '/api/pairings',
  join: '/api/hub/join',
  heartbeat: '/api/hub/heartbeat',
  uploadClip: '/api/hub/clips',
  uploadVideo: (stationClipId: number) => fillPath(hubRoutePatterns.uploadVideo, { stationClipId }),
  /** Another camera's video of the clip (its id is a HubCameraId, so it needs no escaping). */
  uploadCameraVideo: (stationClipId: number, camera: string) => fillPath(hubRoutePatterns.uploadCameraVideo, { stationClipId, camera }),
  stations: '/api/stations',
  /** Office accounts (admins only). */
  users: '/api/users',
  user: (id: number) => fillPath(hubRoutePatterns.user, { id }),
  /** The first admin, made by the READY link's holder while the hub has no accounts. */
  firstAdmin: '/api/setup/first-admin',
  audit: '/api/audit',
  /** On the station: its link to a hub. */
  stationHubSettings: '/api/settings/hub',
  stationHubUpload: '/api/settings/hub/upload',
} as const;
// ---- end warehouse hub --------------------------------------------------------------------------------
