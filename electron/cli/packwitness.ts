/**
 * `packwitness`: the headless station and the ops commands.
 *
 * Errors a user can cause (bad camera spec, missing ffmpeg, unwritable folder, port in use) end as one
 * sentence on stderr and exit code 1; only a bug prints a stack trace, and then after that sentence.
 */
import { Command, InvalidArgumentError } from 'commander';
import { StationIdentitySettings } from '../../shared/api.js';
import { ID_RULE, parseId } from '../../shared/ids.js';
import { CameraSpecError } from '../station/recorder/camera-spec.js';
import { compactStoppedStation, formatCompactReport } from '../station/storage/compact-stopped.js';
import { DataDirError, defaultDataDir } from '../station/data-dir.js';
import { DatabaseTooNewError, DatabaseUnreadableError } from '../station/catalog/database.js';
import { DatabaseLostError } from '../station/catalog/lost-database.js';
import { SqliteBindingError } from '../station/catalog/sqlite.js';
import { formatRecoverReport, recoverDatabase, RecoverError } from '../station/catalog/recover.js';
import { FfmpegNotFoundError } from '../station/ffmpeg/locate.js';
import { PortInUseError } from '../station/station.js';
import { SecurityConfigError } from '../station/server/security-config.js';
import { StationLockedError } from '../station/station-lock.js';
import { DEFAULT_PORT, MAX_CAMERAS, VIEWER_PASSWORD_MIN_LENGTH } from '../station/limits.js';
import { sendScan } from './scan-command.js';
import { findClips, NoDatabaseError } from './find-command.js';
import { checkClaim, ClaimCheckError, formatClaimCheck } from './claim-command.js';
import { StationKeyError } from '../station/evidence/station-keys.js';
import { formatReport, verifyBundle, verifyExitCode, VERIFY_USAGE_EXIT_CODE, VerifyUsageError } from '../station/evidence/verify.js';
import { defaultTrustedKeysFile, loadTrustedKeys, TRUSTED_KEYS_ENV, TrustedKeysError } from '../station/evidence/trusted-keys.js';
import { printable, printableJson } from '../station/printable.js';
import { runExport, type ExportCommandOptions } from './export-command.js';
import { ExportError } from '../station/export/clip-export.js';
import { ImpossibleLimitError } from '../station/export/fit-plan.js';
import { ExportPresetsError } from '../station/export/presets.js';
import type { ExportPlan } from '../../shared/api.js';
import { exportedSize, LARGE_EXPORT, largeExport, minutesSeconds, type LargeExport } from '../../shared/export-size.js';
import { ExportCancelledError } from '../station/export/transcode.js';
import { FFMPEG_OPTION_HELP } from './ffmpeg-option.js';
// Desktop app
import { resolve } from 'node:path';
import { recordCrash } from '../station/crash-log.js';
import { registerDoctorCommand } from './doctor-command.js';
// Storage folder move
import { runMoveData } from './move-data-command.js';
import { MoveDataError } from '../station/storage/move-data.js';
import { StationHost } from '../station/station-host.js';
// Warehouse hub
import { registerHubCommand } from './hub-command.js';
// Orders
import { runOrdersImport } from './orders-command.js';
import { OrderImportError } from '../station/orders/order-import-error.js';

/** How long to wait for the first segment before telling the operator the camera is not recording. */
const NOT_RECORDING_WARNING_MS = 15_000;

const KNOWN_ERRORS = [OrderImportError, RecoverError, DatabaseLostError, DatabaseUnreadableError, SqliteBindingError, MoveDataError, SecurityConfigError, StationKeyError, ExportError, ImpossibleLimitError, ExportPresetsError, NoDatabaseError, ClaimCheckError, CameraSpecError, DataDirError, DatabaseTooNewError, FfmpegNotFoundError, PortInUseError, StationLockedError];

function fail(err: unknown): never {
  if (KNOWN_ERRORS.some((E) => err instanceof E)) {
    process.stderr.write(`packwitness: ${(err as Error).message}\n`);
  } else {
    process.stderr.write(`packwitness: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
    if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number, e.g. 20 or 1.75');
  return n;
}

function clipId(value: string): number {
  const id = parseId(value);
  if (id === null) throw new InvalidArgumentError(`a clip id is ${ID_RULE.en} (see \`packwitness find\`)`);
  return id;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const VIEWER_PASSWORD_ENV = 'PACKWITNESS_VIEWER_PASSWORD';

interface StationCommandOptions {
  data: string;
  /** Each --camera in order; the first is the main camera. */
  camera?: string[];
  port: number;
  host?: string;
  token?: string;
  viewerPassword?: string;
  allowedHost: string[];
  corsOrigin: string[];
  station?: string;
  ffmpeg?: string;
  hub?: string;
  hubToken?: string;
}

const program = new Command()
  .name('packwitness')
  .description('PackWitness (打包见证): packing-video station and tools')
  .showHelpAfterError();

program
  .command('station')
  .description('record a camera continuously and serve the station UI and API; prints READY <url> when recording')
  .option('--data <dir>', 'data folder (database, footage)', defaultDataDir())
  // No defaults for --camera, --host and --station: given, they win over the settings screen's saved
  // values at this start; not given, the saved values apply (camera auto, 127.0.0.1, "Station 1" until saved).
  .option(
    '--camera <spec>',
    `demo | file:PATH | v4l2:/dev/videoN | dshow:NAME | avfoundation:N | rtsp://… | tcp://HOST:PORT | http://… | auto (default: the cameras saved in the settings, else auto); repeatable, up to ${MAX_CAMERAS} cameras, the first is the main camera; given, they replace the saved cameras at this start`,
    collect,
  )
  .option('--port <n>', 'HTTP port (0 = any free port)', port, DEFAULT_PORT)
  .option('--host <addr>', 'address to listen on; anything but loopback (e.g. 0.0.0.0) shares the station with the LAN and needs a viewer password (default: 0.0.0.0 when LAN viewing is on in the settings, else 127.0.0.1)')
  .option('--token <t>', 'API token (random when not given)')
  .option(
    '--viewer-password <p>',
    `password for LAN viewers (search, watch, export); at least ${VIEWER_PASSWORD_MIN_LENGTH} characters. Prefer ${VIEWER_PASSWORD_ENV}: a command line is visible to other users`,
  )
  .option('--allowed-host <name>', 'another name this station may be called by (Host header), e.g. packing-pc.lan; repeatable', collect, [])
  .option('--cors-origin <url>', 'a web origin allowed to call the API from a browser, e.g. http://192.168.1.20:5173; repeatable (none by default)', collect, [])
  .option('--station <name>', 'station name shown on screen and burned into the video (default: the saved setting, else "Station 1")')
  .option('--ffmpeg <which>', FFMPEG_OPTION_HELP)
  // Warehouse hub
  .option('--hub <url>', 'join this warehouse hub (its address, e.g. http://192.168.1.10:8418) with --hub-token; kept for later starts')
  .option('--hub-token <token>', "a one-time pairing token from the hub's stations page (or POST /api/pairings)")
  .action(async (o: StationCommandOptions) => {
    if ((o.hub === undefined) !== (o.hubToken === undefined)) {
      process.stderr.write('packwitness: --hub and --hub-token go together: the hub address and a pairing token from it.\n');
      process.exit(1);
    }
    // The settings' rule for the name (it is burned into the video), in the action rather than as an
    // option parser: commander would echo the refused value, line breaks and all.
    const name = o.station === undefined ? undefined : StationIdentitySettings.shape.stationName.safeParse(o.station);
    if (name && !name.success) {
      process.stderr.write(`packwitness: --station: ${name.error.issues[0]!.message}\n`);
      process.exit(1);
    }
    if ((o.camera?.length ?? 0) > MAX_CAMERAS) {
      process.stderr.write(`packwitness: --camera: at most ${MAX_CAMERAS} cameras per station (${o.camera!.length} given).\n`);
      process.exit(1);
    }
    const viewerPassword = o.viewerPassword ?? process.env[VIEWER_PASSWORD_ENV];
    // ffmpeg and every other child inherits the environment: the password stays in this process only.
    delete process.env[VIEWER_PASSWORD_ENV];
    // Storage folder move: the station runs under a host that can stop it, move its
    // folder and start it again on the same address; READY is printed once, for the first start only.
    let host: StationHost;
    try {
      host = new StationHost({
        station: {
          dataDir: o.data,
          camera: o.camera?.[0],
          extraCameras: o.camera?.slice(1),
          port: o.port,
          host: o.host,
          token: o.token,
          viewerPassword,
          allowedHosts: o.allowedHost,
          corsOrigins: o.corsOrigin,
          station: o.station,
          ffmpegPath: o.ffmpeg,
          hub: o.hub !== undefined && o.hubToken !== undefined ? { url: o.hub, pairingToken: o.hubToken } : undefined,
        },
        onFatal: (err) => fail(err),
      });
    } catch (err) {
      fail(err);
    }
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`packwitness: ${signal} received, closing the last segment…\n`);
      host.stop().then(
        () => process.exit(0),
        (err) => fail(err),
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    // Desktop app: a crash leaves a line in <data>/logs/crash.log (the health page shows it);
    // the next start's reconcile closes what this process leaves open.
    process.on('uncaughtException', (err) => {
      recordCrash(host.station.dataDir ?? resolve(o.data), 'station', err);
      fail(err);
    });
    try {
      await host.start();
    } catch (err) {
      // A Ctrl-C during start-up: shutdown() is stopping the station and exits when it is done.
      if (stopping) return;
      fail(err);
    }
    const station = host.station;
    // READY means recording. A camera that does not deliver is retried forever (it may be plugged in
    // later), but the operator is told why nothing is happening and where the UI already is.
    const warn = setTimeout(() => {
      const st = station.status().camera;
      process.stderr.write(
        `packwitness: the camera "${st.spec}" is not recording yet (${st.lastError ?? 'no frames'}); still retrying. UI: ${station.url}\n`,
      );
    }, NOT_RECORDING_WARNING_MS);
    await station.whenRecording();
    clearTimeout(warn);
    process.stdout.write(`READY ${station.url}\n`);
  });

program
  .command('scan')
  .description('send one scan to a running station (foot pedals, second scanners, scripts); prints the result')
  .requiredOption('--url <url>', 'the station URL (the READY URL, or just http://host:port)')
  .option('--token <t>', 'API token (default: the ?token= of --url)')
  .option('--json', 'print the whole JSON response')
  .argument('<code>', 'the scanned text')
  .action(async (code: string, o: { url: string; token?: string; json?: boolean }) => {
    const exit = await sendScan(o.url, o.token, code, Boolean(o.json));
    process.exit(exit);
  });

program
  .command('find')
  .description('find clips by any fragment of an order or tracking number; one line each: id, start, end, mode, status, station, codes')
  .option('--data <dir>', 'the station data folder', defaultDataDir())
  .option('--limit <n>', 'at most this many clips, newest first', (v) => Math.max(1, Math.min(1000, Number(v) || 50)), 50)
  .option('--json', 'one JSON object per line')
  .argument('<fragment>', 'e.g. the last 5 digits of a waybill; spaces and dashes are ignored')
  .action((fragment: string, o: { data: string; limit: number; json?: boolean }) => {
    let lines: string[];
    try {
      lines = findClips(o.data, fragment, { limit: o.limit, json: Boolean(o.json) });
    } catch (err) {
      fail(err);
    }
    if (!lines.length) process.stderr.write(`packwitness: no clip has a code containing "${fragment}".\n`);
    for (const l of lines) process.stdout.write(`${l}\n`);
    process.exit(lines.length ? 0 : 3);
  });

program
  .command('claim')
  .description("claim check: read the buyer's photos (AI-content labels, editing software, camera and capture time) against a clip; stores nothing; exit 1 when a photo is refused")
  .option('--data <dir>', 'the station data folder', defaultDataDir())
  .option('--clip <id>', 'the packing clip', clipId)
  .option('--code <code>', 'the order or tracking number of the packing clip (the newest clip carrying it); without --clip or --code, a waybill barcode in the photos names the clip')
  .option('--lang <lang>', 'zh-CN or en', 'en')
  .option('--json', 'one JSON object: clip, photos[] with sha256, findings[] and matches[]')
  .argument('<photo...>', 'the photos the buyer sent (JPEG, PNG, WebP, HEIC)')
  .action(async (photos: string[], o: { data: string; clip?: number; code?: string; lang: string; json?: boolean }) => {
    if (o.clip !== undefined && o.code !== undefined) {
      process.stderr.write('packwitness: give --clip ID or --code CODE, not both (or neither: the clip is found from a waybill barcode in the photos).\n');
      process.exit(2);
    }
    if (o.lang !== 'en' && o.lang !== 'zh-CN') {
      process.stderr.write('packwitness: --lang is zh-CN or en.\n');
      process.exit(2);
    }
    try {
      const check = await checkClaim(o.data, { clip: o.clip, code: o.code }, photos);
      process.stdout.write(o.json ? `${printableJson(check)}\n` : formatClaimCheck(check, o.lang));
      process.exit(check.photos.some((p) => p.error) ? 1 : 0);
    } catch (err) {
      fail(err);
    }
  });

program
  .command('verify')
  .description(
    'check an evidence bundle: exit 0 (VERIFIED) only when every check passed and the signing key is one you trust; 1 names the first failure; 3: consistent, but the key was not checked; 2: bad arguments',
  )
  .argument('<path>', 'a bundle folder, a bundle .zip, or a lone clip file with manifest.json beside it')
  .option('--manifest <file>', "a lone clip's manifest (default: manifest.json beside the clip; manifest.sig beside the manifest)")
  .option('--expect-fingerprint <hex>', "the station key's SHA-256 fingerprint, got from the seller's station screen or the merchant, never from the bundle itself")
  .option('--trusted-keys <file>', `your list of trusted station keys, one "FINGERPRINT LABEL" a line (default: $${TRUSTED_KEYS_ENV}, else ${defaultTrustedKeysFile({ ...process.env, [TRUSTED_KEYS_ENV]: undefined })}, if it exists)`)
  .option('--json', 'print the report as JSON (its "verdict" is verified, failed or key-not-checked)')
  .addHelpText(
    'after',
    `
Exit codes:
  0  VERIFIED: every check passed, and the bundle is signed by the key you expected (--expect-fingerprint)
     or by one in your trusted keys file
  1  NOT VERIFIED: a check failed, or the bundle holds files its manifest does not cover (named)
  2  the command could not run (a missing path, a bad option, an unreadable trusted keys file)
  3  consistent, but the signing key was not checked: anyone can sign a bundle with a key of their own,
     so compare the printed fingerprint with the one the seller's station shows, then run again

Trusted keys file: one key a line, the 64 hex digits of its fingerprint (grouped or not) and a label,
e.g. "7f259d5f…93d3  Shop A, bench 1"; blank lines and lines starting with # are ignored.`,
  )
  // Exit 2 for anything wrong with the command line itself, so scripts tell "bad bundle" (1) apart.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : VERIFY_USAGE_EXIT_CODE))
  .action(async (path: string, o: { manifest?: string; expectFingerprint?: string; trustedKeys?: string; json?: boolean }) => {
    try {
      if (o.expectFingerprint !== undefined && o.trustedKeys !== undefined) {
        throw new VerifyUsageError('--expect-fingerprint and --trusted-keys are two ways of naming the key you trust; give one of them.');
      }
      const trustedKeysFile = o.trustedKeys ?? defaultTrustedKeysFile();
      const trustedKeys = o.expectFingerprint === undefined ? await loadTrustedKeys(trustedKeysFile, o.trustedKeys !== undefined) : null;
      const report = await verifyBundle(path, { manifest: o.manifest, expectFingerprint: o.expectFingerprint, trustedKeys, trustedKeysFile });
      const exitCode = verifyExitCode(report);
      // Every string in a report may come from the bundle: printable() / printableJson() keep control,
      // newline and bidi characters from reaching the terminal raw.
      process.stdout.write(o.json ? `${printableJson({ ...report, exitCode })}\n` : formatReport(report));
      if (!o.json && report.verdict === 'failed') process.stderr.write(`packwitness: verification failed: ${printable(report.failure ?? '')}\n`);
      if (!o.json && report.verdict === 'key-not-checked') {
        process.stderr.write(`packwitness: consistent, but the signing key was not checked (exit ${exitCode}): pass --expect-fingerprint or list the key in ${printable(trustedKeysFile)}.\n`);
      }
      // exitCode, not exit(): a long report to a pipe is written out before the process ends.
      process.exitCode = exitCode;
    } catch (err) {
      if (err instanceof VerifyUsageError || err instanceof TrustedKeysError) {
        process.stderr.write(`packwitness: ${printable(err.message)}\n`);
        process.exitCode = VERIFY_USAGE_EXIT_CODE;
        return;
      }
      fail(err);
    }
  });

program
  .command('export')
  .description('export a clip for an appeal: a bundle folder and zip with the video, the evidence sheet and the signed manifest')
  .option('--data <dir>', 'the station data folder', defaultDataDir())
  .option('--clip <id>', 'the clip id', clipId)
  .option('--code <code>', 'the order or tracking number on the clip (exact; spaces and dashes ignored)')
  .option('--out <path>', 'the bundle folder to create (PATH.zip is written beside it)')
  .option('--out-dir <dir>', 'or: a folder to write the bundle in, named for the reviewer (ORDER_YYYYMMDD-HHMM_clip-ID, and .zip)')
  .option('--preset <name>', 'a platform preset: original, shopee, wechat-shop, amazon, ebay, … (see settings)')
  .option('--max-mb <n>', 'fit the video into N megabytes (10^6 bytes)', positive)
  .option('--max-seconds <n>', 'fit the video into N seconds: pre/post-roll is trimmed first, then it is sped up (marked)', positive)
  .option('--banner', 'add the evidence strip (codes, station, times, clip id, hash) below the picture', false)
  .option('--no-sheet', 'skip the key-frame evidence sheet (PNG + PDF)')
  .option('--composite', 'a clip filmed by several cameras: also one MP4 with every view side by side, for platforms that take one file (fitted to the same limits)', false)
  .option('--lang <lang>', 'language of the sheet and banner: zh-CN or en', 'zh-CN')
  .option('--ffmpeg <which>', FFMPEG_OPTION_HELP)
  .action(async (o: ExportCommandOptions) => {
    if (o.lang !== 'zh-CN' && o.lang !== 'en') fail(new ExportError('--lang is zh-CN or en'));
    const abort = new AbortController();
    process.on('SIGINT', () => abort.abort());
    const tty = process.stderr.isTTY;
    try {
      const r = await runExport(o, abort.signal, (line) => process.stderr.write(tty ? `\r${line.padEnd(40)}` : `${line}\n`));
      if (tty) process.stderr.write('\n');
      const p = r.plan;
      process.stdout.write(`bundle\t${r.bundleDir}\nzip\t${r.zip}\n`);
      process.stdout.write(`video\t${p.kind}${planDetail(p)}\n`);
      for (const f of r.files) process.stdout.write(`file\t${f.role}\t${f.bytes}\t${f.sha256}\t${f.name}\n`);
      // Each other camera's video with the camera's name as the station and its pages call it (the
      // bundle names the file by the camera's id, which its signed manifest fixes); a name is the
      // settings' text, so it is printed escaped (tabs too: the lines are tab-separated).
      for (const f of r.cameraVideos) process.stdout.write(`file\tcamera-video\t${f.bytes}\t${f.sha256}\t${f.name}\t${printable(f.cameraName)}\n`);
      for (const c of r.cameras) process.stdout.write(`camera\t${c.main ? 'main' : 'other'}\t${printable(c.name)}\t${c.file ?? 'none: it recorded none of the clip'}\n`);
      const video = r.files.find((f) => f.role === 'video') ?? r.cameraVideos[0];
      const large = video ? largeExport(exportedSize(p, video.bytes)) : null;
      if (large) process.stderr.write(`packwitness: warning: ${largeExportSentence(large)}\n`);
      process.exit(0);
    } catch (err) {
      if (err instanceof ExportCancelledError || abort.signal.aborted) {
        process.stderr.write('\npackwitness: export cancelled; nothing was written.\n');
        process.exit(130);
      }
      fail(err);
    }
  });

/** The large-export warning, one sentence. */
function largeExportSentence(l: LargeExport): string {
  const over = [l.overBytes ? `${LARGE_EXPORT.bytes / 1e6} MB` : null, l.overSeconds ? `${LARGE_EXPORT.seconds / 60} minutes` : null].filter(Boolean).join(' and ');
  return `the video is ${(l.bytes / 1e6).toFixed(1)} MB and ${minutesSeconds(l.seconds)} long, over ${over}, which many platforms refuse (Taobao/Tmall, Pinduoduo, JD and Douyin publish no limit); choose a platform preset or --max-mb / --max-seconds.`;
}

/** What `video\t<kind>` is followed by: the re-encode's picture and range, or why the original was kept. */
function planDetail(p: ExportPlan): string {
  if (p.kind === 'fit') return ` ${p.width}x${p.height} ${p.fps} fps, ${p.fromSec.toFixed(1)}-${p.toSec.toFixed(1)} s${p.speed !== 1 ? `, ${p.speed}x speed` : ''}`;
  if (!p.withinLimits) return '';
  const limits = [p.withinLimits.maxBytes !== null ? `${p.withinLimits.maxBytes / 1e6} MB` : null, p.withinLimits.maxSeconds !== null ? `${p.withinLimits.maxSeconds} s` : null].filter(Boolean).join(' and ');
  return `, already within ${limits}: the clip as recorded, byte for byte (not re-encoded)`;
}

// Desktop app
registerDoctorCommand(program, port);
// ── Storage folder move ──
program
  .command('move-data')
  .description('move a stopped station\'s data folder (database, footage, keys): copy, verify every SHA-256, then delete the old files; the old folder keeps a MOVED-TO.json pointer')
  .option('--data <dir>', 'the current data folder', defaultDataDir())
  .requiredOption('--to <dir>', 'the new data folder (new or empty)')
  .action(async (o: { data: string; to: string }) => {
    const tty = process.stderr.isTTY;
    try {
      const r = await runMoveData(o.data, o.to, (line) => process.stderr.write(tty ? `\r${line.padEnd(70)}` : `${line}\n`));
      if (tty) process.stderr.write('\n');
      process.stdout.write(`moved\t${r.from}\t${r.to}\t${r.files} files\t${r.bytes} bytes\n`);
      if (r.segmentsNotMatchingIndex.length) {
        process.stderr.write(`packwitness: ${r.segmentsNotMatchingIndex.length} segment file(s) already differed from their index before the move (moved as they were): ${r.segmentsNotMatchingIndex.join(', ')}\n`);
      }
      process.exit(0);
    } catch (err) {
      fail(err);
    }
  });

// ── Orders ──
const orders = program.command('orders').description('orders imported from the shops\' exports: a scan of an order or waybill number shows its items');
orders
  .command('import')
  .description('import a CSV (UTF-8 or GBK/GB18030) or XLSX order export; re-importing updates, never duplicates. Prints "imported N orders, M items" and the skipped rows with their line numbers')
  .option('--data <dir>', 'the station data folder', defaultDataDir())
  .option('--platform <name>', 'the platform of rows that do not name one (e.g. 淘宝, Shopify)')
  .option('--map <field=Header>', 'use column Header for field (orderNo, waybill, itemName, qty, sku, buyer, platform); remembered for files with the same headers', (v: string, prev: string[]) => [...prev, v], [] as string[])
  .argument('<file>', 'the export: .csv or .xlsx')
  .action(async (file: string, o: { data: string; platform?: string; map: string[] }) => {
    try {
      const r = await runOrdersImport(file, o);
      for (const l of r.lines) process.stdout.write(`${l}\n`);
      process.exit(r.exit);
    } catch (err) {
      fail(err);
    }
  });

// ── Lost database ──
program
  .command('recover')
  .description(
    "rebuild a stopped station's lost or unreadable database: restore the newest good backup, index the segment files it lacks, continue the evidence chain in a new signed epoch; the old file is kept aside. Exit 0 recovered, 1 refused or failed (nothing changed), 2 bad arguments",
  )
  .option('--data <dir>', 'the station data folder', defaultDataDir())
  .option('--from-backup <file>', 'latest (the newest backup in <data>/backups that passes quick_check), none (rebuild from the files alone), or a backup file', 'latest')
  .option('--force', 'rebuild even though the database is intact (it is kept aside, never deleted)')
  .option('--ffmpeg <which>', FFMPEG_OPTION_HELP)
  .option('--json', 'print the report as JSON')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .action(async (o: { data: string; fromBackup: string; force?: boolean; ffmpeg?: string; json?: boolean }) => {
    try {
      const r = await recoverDatabase({ dataDir: o.data, fromBackup: o.fromBackup, force: Boolean(o.force), ffmpegPath: o.ffmpeg });
      process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : formatRecoverReport(r));
      process.exit(0);
    } catch (err) {
      fail(err);
    }
  });

// ── Index compaction ──
program
  .command('compact')
  .description(
    "compact a stopped station's index: remove the rows of footage retention deleted more than the clip retention period ago (a signed chain checkpoint keeps the evidence chain checkable; kept, protected and not-yet-uploaded clips keep theirs), then VACUUM to shrink the file. Exit 0 done, 1 failed",
  )
  .option('--data <dir>', 'the station data folder', defaultDataDir())
  .option('--no-vacuum', 'leave the freed pages in the file (the station reuses them)')
  .option('--json', 'print the report as JSON')
  .action(async (o: { data: string; vacuum: boolean; json?: boolean }) => {
    try {
      const r = await compactStoppedStation(o.data, { vacuum: o.vacuum });
      process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : formatCompactReport(r));
      process.exit(0);
    } catch (err) {
      fail(err);
    }
  });

// ── Warehouse hub ──
registerHubCommand(program, port);

program.parseAsync(process.argv).catch(fail);
