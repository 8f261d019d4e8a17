/**
 * Every tuning number of the station core, in one place, each with the reason it has its value.
 */

/** Segment length. Short enough that a crash loses little; long enough that the index stays small. */
export const SEGMENT_SECONDS = 2;

/**
 * Cameras per station (the first is the main one). Each is its own ffmpeg encoding in real time: two
 * 720p30 cameras are about twice one, and a 2-core packing PC also cuts clips and draws the UI.
 * Defined in shared/api.ts, whose settings schema refuses a fifth camera too.
 */
export { MAX_CAMERAS } from '../../shared/api.js';

/**
 * The watchdog says NOT RECORDING (state `stalled`) when ffmpeg's stats line has not advanced for this
 * long, but leaves ffmpeg running: a camera that has gone must show on the packer's screen within 2 s
 *, and ffmpeg prints stats about twice a second, so 1.5 s is three missed lines. It only
 * reports: on a loaded PC a late stats line must not cost a restart (and its footage hole).
 */
export const STALL_NOTICE_MS = 1_500;

/**
 * Silent this long, ffmpeg is killed and restarted (was 4 s). A camera that came back while the old
 * connection hangs needs a new one: 3 s of silence plus the restart back-off below still fits the
 * "recording again within 5 s of its return" budget, and six missed stats lines is no scheduling hiccup.
 */
export const STALL_MS = 3_000;

/** Before the first frame, allow for a slow camera or RTSP handshake (ffmpeg's own socket time-out is 5 s). */
export const STARTUP_GRACE_MS = 10_000;

/**
 * No closed segment for this long also counts as a stall (a camera that delivers frames to the
 * preview but whose segment muxer is stuck, or a segment list we cannot read).
 */
export const NO_SEGMENT_MS = SEGMENT_SECONDS * 1000 * 3 + 2_000;

/**
 * Restart back-off: first retry fast, then doubling to a cap. The cap was 30 s; it is 1 s because a
 * camera that returns must be recording again within 5 s: up to 1 s until the next try,
 * ~0.5 s to connect and start, 2 s until the first segment closes and is indexed. The cost of the
 * short cap while a camera is gone: one ffmpeg start a second (tens of ms of CPU; a refused
 * connection exits at once), which a station with no camera can afford.
 */
export const RESTART_BACKOFF_MS = { first: 500, max: 1_000, factor: 2 } as const;

/** After this much healthy recording the back-off resets to `first`. */
export const BACKOFF_RESET_AFTER_MS = 30_000;

/** How long a graceful stop (SIGINT to ffmpeg, which closes the current segment) may take before SIGKILL. */
export const FFMPEG_STOP_GRACE_MS = 5_000;

/**
 * The live preview, made on demand (preview-tap.ts): the segment files' keyframes (one a second),
 * decoded alone, scaled to 512 px and encoded as JPEG. Measured with ffmpeg 4.1, 60 s of 720p30:
 * decoding every frame 3.6 CPU s (4.15 s with 5 fps, the scale and the JPEGs), keyframes only 0.22 s
 * (1080p: 8.1 s and 0.43 s). So one picture a second: a glance at the bench, at a fraction of the cost.
 */
export const PREVIEW = { width: 512, jpegQuality: 7 } as const;
/** After the last viewer leaves, the preview ffmpeg runs this much longer (a page reload, a flick between screens). */
export const PREVIEW_LINGER_MS = 5_000;
/**
 * How often the preview tap looks for more bytes (or the next segment) once it has read all there is.
 * A picture a second needs no more; node's share of a 720p30 viewer was ~0.6 CPU s/min at 100 ms and
 * ~0.2 at 250 ms (10-s smoke runs on the loaded 2-core machine, so rough).
 */
export const PREVIEW_FOLLOW_POLL_MS = 250;
/** The preview ffmpeg died while someone watches: started again after this long. */
export const PREVIEW_RESTART_MS = 1_000;
/** The single-frame route waits this long for a picture from a tap it had to start. */
export const PREVIEW_FRAME_WAIT_MS = 8_000;

/**
 * The motion feed (idle stop): ffmpeg sends one tiny grey picture a second, taken before the overlay
 * (the burned-in clock changes every second and would always read as motion). Area-averaged to 32x18,
 * each cell is the mean of ~1,600 pixels at 720p, so sensor noise averages out: measured mean
 * absolute difference between two pictures of a still, noisy scene (lavfi `noise=alls=12`) 0.2 at
 * 720p and 0.45 at 360p; a moving picture (testsrc2, mandelbrot) 5-14. A camera's own clock digits
 * cover a few cells and stay well under the threshold. One picture is 576 bytes: one datagram.
 */
export const MOTION = { fps: 1, width: 32, height: 18 } as const;
export const MOTION_FRAME_BYTES = MOTION.width * MOTION.height;
/** Mean absolute difference (grey levels, 0-255) from which two consecutive motion pictures count as motion. */
export const MOTION_MIN_MEAN_DIFF = 1;
/**
 * No motion picture for this long (camera down, ffmpeg restarting, the station itself stalled): the
 * station cannot tell whether the bench was still, so it does not say so, and the unseen time counts
 * as activity.
 */
export const MOTION_BLIND_AFTER_MS = 5_000;
/** How often an open clip is checked for an idle bench. */
export const IDLE_CHECK_MS = 1_000;

/** How often the recorder checks ffmpeg's segment list for newly closed segments. */
export const SEGMENT_LIST_POLL_MS = 500;

/** A preview JPEG larger than this means the stream is broken; resynchronise. */
export const PREVIEW_MAX_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * ffmpeg's stderr goes to a file the recorder reads this often (a file never makes ffmpeg wait; see
 * recording-run.ts). Its lines are context for an error sentence, read in full once ffmpeg exits.
 */
export const FFMPEG_LOG_POLL_MS = 500;

/**
 * Past this size, once read to its end, ffmpeg's stderr file is emptied (ffmpeg appends, so it goes
 * on at the new end). A camera that logs an error per frame writes ~5 KB/s; 256 KB is under a
 * minute of that, and days of a healthy run (which logs nothing at `-loglevel warning`). Further
 * behind than this (Node stopped for long), only the newest 256 KB are read: the tail is what matters.
 */
export const FFMPEG_LOG_MAX_BYTES = 256 * 1024;

/**
 * A watchdog tick this much later than its interval means Node itself was not running (a long
 * synchronous call, a GC pause, SIGSTOP, a suspended VM): ffmpeg's heartbeat may be waiting in the
 * socket unread, so its age says nothing about ffmpeg. Ages are then measured from the resumption
 * (camera-watchdog.ts). 500 ms is two missed ticks; a busy 2-core PC delays ticks by tens of ms.
 */
export const EVENT_LOOP_LATE_MS = 500;

/** Default HTTP port; 0 picks a free one. */
export const DEFAULT_PORT = 8417;

/** Contiguity: a hole larger than this between consecutive segments of one run is a gap worth noting. */
export const CONTIGUITY_TOLERANCE_MS = 500;

/**
 * A clip boundary (one clip ending, the next starting, a post-roll ending) lies this far after the scan
 * that decides it, so the burned-in codes line can change on exactly that frame: ffmpeg takes a typed
 * command only between frames and every 100 ms, and a frame stamped before the command arrives may
 * already be drawn (measured here, loaded: the command taken 80 ms median, 180 ms at worst after it
 * was sent). 500 ms leaves room for a loaded machine; the scan's own time is kept as the scan's.
 */
export const OVERLAY_SWITCH_LEAD_MS = 500;

/** JSON request bodies: scans, settings, notes and export options are a few KB; media never goes up. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Time to receive a whole request (headers and body). Fastify's default is none; on a LAN nobody
 * should hold a socket open by trickling a request. Responses (the preview stream, a video) are not
 * limited by it.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A viewer password shorter than this is refused: it guards clip footage on a shared network. */
export const VIEWER_PASSWORD_MIN_LENGTH = 8;

/**
 * The operator token, when the station listens beyond loopback: anyone on the network can guess at
 * it, and it opens everything (settings, the live camera, unprotecting clips). 32 characters is what
 * the station's own random token has (24 random bytes in base64url, 192 bits), and at least 8
 * different characters rules out the easy long ones (`aaaa…`, `abcdabcd…`, a date repeated). Measured
 * over 200,000 random tokens: 32 hex characters had at least 9 different ones, base64url at least 17.
 * On loopback any token is taken: only this PC can reach the station (tests use short ones).
 */
export const OPERATOR_TOKEN_LAN = { minLength: 32, minDistinct: 8 } as const;

/** A viewer's login lasts one working day; then the password is asked again. */
export const VIEWER_SESSION_MS = 12 * 3600_000;

/** More sessions than this (a script logging in in a loop) and the oldest are forgotten. */
export const VIEWER_SESSIONS_MAX = 1_000;

/**
 * Wrong viewer passwords: this many from one address within the window and that address is refused
 * (429) until the window ends, right password or not. 5 per 15 min allows typos, not guessing.
 */
export const LOGIN_FAILURES = { max: 5, windowMs: 15 * 60_000 } as const;

/**
 * Exports a viewer (a LAN login) may start per address per hour. Customer service exports a clip per
 * dispute, a handful an hour on a busy day; each export re-reads the clip, may re-encode it (one
 * encode at a time, beside the recording, on two cores) and writes the clip again twice (bundle and
 * zip). 20 an hour is several times a busy day's need and keeps a script in a loop from queueing
 * hours of encodes or filling the disk between two expiry runs. The operator is not limited.
 */
export const VIEWER_EXPORTS = { max: 20, windowMs: 60 * 60_000 } as const;

/** How long the list of this machine's addresses (for the Host check) is reused before it is read again. */
export const INTERFACE_CACHE_MS = 10_000;

/**
 * The crash log (crash-log.ts): rotated past 1 MB (thousands of crashes: enough history, bounded disk);
 * stacks cut at 8 KB; the API returns the newest 50 unless asked for fewer.
 */
export const CRASH_LOG = { maxBytes: 1024 * 1024, maxStackChars: 8_192, readLimit: 50 } as const;

/**
 * A hardware encoder's 1-second test encode (doctor, `auto` encoder choice). A working GPU encoder
 * finishes in well under a second; one with no device fails in ~10 ms (measured: h264_vaapi without
 * /dev/dri). A driver that hangs is a failure, not a wait.
 */
export const ENCODER_TEST_TIMEOUT_MS = 10_000;

/**
 * Doctor's disk thresholds. Under 2 GB free (about 4 h of 720p at the standard cap) the station will
 * stop recording soon: FAIL. Under 10 GB, or under a week before retention's free-space floor at the
 * health page's rate (days left there mean old footage is deleted, not that recording stops): WARN,
 * time to look at retention or add a disk.
 */
export const DOCTOR_DISK = { failBelowBytes: 2e9, warnBelowBytes: 10e9, warnBelowDays: 7 } as const;

/**
 * Doctor asks whatever holds the port for `/api/health`: a station on this PC answers in milliseconds;
 * another program that never answers HTTP costs doctor this long before it is reported as in use.
 */
export const DOCTOR_HEALTH_PROBE_MS = 2_000;

/**
 * The background scrub re-hashes closed segments at this many bytes a second. SHA-256 runs at
 * ~500 MB/s here, so 8 MB/s is ~2 % of one core, and a small fraction of even a cheap HDD's
 * ~100 MB/s beside recording's ~0.1-0.75 MB/s. A day of 720p footage (8 h at ~0.3-0.75 MB/s, 9-22 GB)
 * takes 20-45 minutes, so a pass over 90 days of footage takes one to three days: damage is found
 * within days, long before a dispute (weeks) needs the clip; a clip cut or exported meanwhile checks
 * its own segments on the spot.
 */
export const SCRUB_BYTES_PER_SECOND = 8 * 1024 * 1024;

/** After a full pass the scrub rests this long before the next one (new segments wait for it). */
export const SCRUB_PASS_PAUSE_MS = 60_000;

/**
 * A wall-clock step larger than this (beyond the monotonic clock) is a jump: logged, and the recording
 * run restarts on the new clock. NTP slews small corrections (<128 ms) instead of stepping; 1 s is far
 * above scheduling noise (both clocks are read in the same tick, so a late tick moves both).
 */
export const CLOCK_JUMP_MS = 1_000;

/** How often the clocks are compared: a jump is acted on within this long. */
export const CLOCK_WATCH_INTERVAL_MS = 500;

/**
 * One clock reading is the wall clock between two monotonic reads; further apart than this, the
 * process was descheduled or stopped between them and the reading is taken again (clock-watch.ts).
 * The reads take microseconds; 100 ms is a tenth of CLOCK_JUMP_MS, so it can never hide or make a jump.
 */
export const CLOCK_READ_SLACK_MS = 100;

// ---- Storage: retention and disk full ----

/** Retention runs this often; and at once when the 5-s disk check sees free space near the limit. */
export const RETENTION_INTERVAL_MS = 60_000;

/**
 * Retention starts deleting this far before the free-space limit and frees twice this much above it,
 * so that recording between two disk checks never takes the disk under the limit. max(64 MiB, 0.2 %
 * of the volume): 64 MiB is 85 s of recording at the standard cap (6 Mbit/s), against a 5 s disk check;
 * the percentage keeps deletions in batches of useful size on big disks (2 GB on 1 TB). Measured by
 * the soak benchmark: without it free space dipped under the limit by up to 8 MB between checks.
 */
export const RETENTION_HEADROOM = { minBytes: 64 * 1024 ** 2, fraction: 0.002 } as const;

export function retentionHeadroomBytes(totalBytes: number): number {
  return Math.max(RETENTION_HEADROOM.minBytes, Math.round(totalBytes * RETENTION_HEADROOM.fraction));
}

/**
 * Footage this recent (beyond the pre-roll) is never deleted, whatever the pressure: a scan may be
 * starting a clip over it right now, and retention plans before it deletes.
 */
export const RETENTION_RECENT_SLACK_MS = 10_000;

/**
 * The oldest on-disk segments one retention pass looks at (2,000 × 2 s ≈ 67 min of footage); a pass
 * repeats while it still frees something, so a large backlog is worked through in bounded steps.
 */
export const RETENTION_BATCH_SEGMENTS = 2_000;

/**
 * Disk full: below this free space recording stops (ffmpeg is told to finish, so its last segment is
 * closed and indexed). max(200 MB, 0.5 % of the volume). 200 MB holds what must still be written after
 * the decision: the segment in progress and ffmpeg's clean stop (6 Mbit/s cap: under 5 MB), a clip MP4
 * being cut (a 10-minute clip at the cap is ~450 MB, at typical 1-2 Mbit/s 75-150 MB), the SQLite WAL
 * and its checkpoint (a few MB) and a thumbnail. 0.5 % on big volumes
 * because file systems slow down and fragment when nearly full; it stays well below the default
 * retention limit (10 %), so retention acts long before this does.
 */
export const DISK_FLOOR = { minBytes: 200 * 1024 ** 2, fraction: 0.005 } as const;

/**
 * Recording resumes once free space is back above the floor by half of it again (at least 100 MB):
 * without the margin a station hovering at the floor would start and stop ffmpeg every 5 s.
 */
export const DISK_RESUME_MARGIN = { minBytes: 100 * 1024 ** 2, fraction: 0.5 } as const;

/**
 * The reserve file (storage/disk-reserve.ts) deleted when the disk fills faster than the floor check
 * sees: what must still be written then is a few index rows (the last segment, the run's end, a gap,
 * retention's marks) and SQLite's WAL growth, a few MB; 64 MB is ample and small next to any disk.
 */
export const DISK_RESERVE_BYTES = 64 * 1024 ** 2;

export function diskFloorBytes(totalBytes: number): number {
  return Math.max(DISK_FLOOR.minBytes, Math.round(totalBytes * DISK_FLOOR.fraction));
}

export function diskResumeBytes(totalBytes: number): number {
  const floor = diskFloorBytes(totalBytes);
  return floor + Math.max(DISK_RESUME_MARGIN.minBytes, Math.round(floor * DISK_RESUME_MARGIN.fraction));
}

/**
 * Rolling online backups of the index (catalog/backups.ts): what a lost database can be restored from.
 * Every hour: a recovery then re-indexes at most an hour of segments from their files, and loses at most
 * an hour of scans, notes and protection. Measured (bench/backup.ts): a 965 MB index (1M segments)
 * takes 2.7 s in a worker thread, 0.07 % of the hour. The last three are kept: a backup that turns
 * out bad still leaves two (each is as large as the index).
 * PACKWITNESS_BACKUP_INTERVAL_S overrides the interval (tests; a PC that wants more or fewer).
 */
export const BACKUP_INTERVAL_MS = 60 * 60_000;
export const BACKUP_KEEP = 3;
/** First backup after a start, when the newest is older than the interval: after start-up has settled. */
export const BACKUP_FIRST_DELAY_MS = 60_000;

/**
 * Seq numbers the segment chain reserves ahead in keys/chain-reserve.json (evidence/chain-reserve.ts),
 * so a recovery after the database was lost never reuses one: 1,000 segments (~35 min of one camera)
 * cost one small file write.
 */
export const CHAIN_RESERVE_BLOCK = 1_000;

// ---- Checking evidence bundles ----
/**
 * manifest.json, manifest.sig, chain.txt and station.pub.pem are read into memory. A one-hour clip's
 * manifest is ~1.5 MB (1,800 chain entries); past 64 MB a file is not one PackWitness wrote, and is
 * refused before it is read (or inflated, in a zip).
 */
export const BUNDLE_SMALL_FILE_MAX_BYTES = 64 * 1024 * 1024;

/** Files `packwitness verify` names in one sentence (extra files, bundles in a zip); the rest are counted. */
export const VERIFY_NAMED_FILES_MAX = 20;

/** A trusted keys file is a few lines of fingerprints; a larger one is not one, and is not read. */
export const TRUSTED_KEYS_MAX_BYTES = 1024 * 1024;

/**
 * The order code in an export's file names is cut to this many characters: the longest
 * codes seen on the bench (UPS `1Z` + 16, Pinduoduo `YYMMDD-` + 15, Taobao's 19 digits) fit whole,
 * and the names stay well inside Windows' 260-character paths once a Downloads folder is in front
 * (`<code>_<YYYYMMDD-HHMM>_clip-<id>_<preset>_sheet.pdf` is at most ~120 characters).
 */
export const EXPORT_NAME_CODE_MAX_CHARS = 40;

/** An export above 20 MB or 3 minutes is warned about (why: shared/export-size.ts, shared with the UI). */
export { LARGE_EXPORT } from '../../shared/export-size.js';

// ---- Claim check: buyer files are hostile input ----

/** A claim holds at most this many photos: platforms' claim forms take up to 9 pictures (Taobao, Douyin). */
export const CLAIM_MAX_PHOTOS = 9;

/** One buyer photo at most: a 108 MP phone JPEG is ~30 MB; anything larger is not a phone photo. */
export const CLAIM_MAX_PHOTO_BYTES = 50 * 1024 * 1024;

/** The optional claim video: a minute of phone video at ~25 Mbit/s. */
export const CLAIM_MAX_VIDEO_BYTES = 200 * 1024 * 1024;

/**
 * Pixels a photo may declare (width × height) before anything decodes it: 108 MP phones (12000 × 9000)
 * fit; a decompression bomb (a small PNG claiming 50,000 × 50,000) is refused from its header, and sharp
 * gets the same number as `limitInputPixels` in case the header lied.
 */
export const CLAIM_MAX_PIXELS = 120_000_000;

/** One photo's decode (in a child process) may take this long before the child is killed. */
export const CLAIM_DECODE_TIMEOUT_MS = 20_000;

/** One file's metadata read (exiftool, its own perl process) may take this long. */
export const CLAIM_METADATA_TIMEOUT_MS = 15_000;

/** The station's preview of a buyer photo (the UI shows it, never the buyer's file): longest side. */
export const CLAIM_PREVIEW_PX = 1280;

/**
 * The visual match of a claim's photos against its clip (a child process): measured ~4.6 s per photo
 * per minute of clip on the loaded 2-core test machine; a long clip with 9 photos gets its share.
 */
export const CLAIM_MATCH_TIMEOUT_MS = { base: 60_000, perClipMinute: 60_000 } as const;

// ---- Index compaction ----

/**
 * Compaction (storage/compaction.ts) removes at most this many segments (a segment row and its chain
 * entry each) per transaction, then yields to the event loop. bench/index-growth.ts measured batches
 * of 2,000 at 130 ms on average and up to 1.1 s on the loaded 2-core machine (a WAL checkpoint landing
 * in one); batches of 500 took 14 ms on average and 77 ms at most, well under one segment's 2 s.
 */
export const COMPACTION_BATCH_ROWS = 500;

/** The station compacts at most this often (after a retention run): a day's rows are ~18,000. */
export const COMPACTION_INTERVAL_MS = 60 * 60_000;

/**
 * How far before a kept clip's start its first segment may have started. Segments are cut every
 * SEGMENT_SECONDS at a keyframe; a camera with a long keyframe interval stretches them, never to this.
 */
export const COMPACTION_SEGMENT_SLACK_MS = 10 * 60_000;
