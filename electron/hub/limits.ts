/**
 * The hub's tuning numbers, each with the reason it has its value (as electron/station/limits.ts).
 */

/** The hub's default HTTP port: the station's is 8417, the office PC may run both. */
export const HUB_DEFAULT_PORT = 8418;

/**
 * A pairing token is good for this long: long enough to walk from the office to the bench and type
 * it into the station's settings, short enough that a token written on a note is soon worthless.
 */
export const PAIRING_TTL_MS = 24 * 3600_000;

/**
 * A station's signed request may carry a time this far from the hub's clock and still be accepted.
 * Station clocks drift (the skew is shown, never corrected), so minutes must pass; a captured
 * request replayed a day later must not.
 */
export const SIGNED_REQUEST_MAX_SKEW_MS = 12 * 3600_000;

/** Connections the hub keeps to PostgreSQL: a few requests at once, uploads included, on a small office PC. */
export const PG_POOL_SIZE = 8;

/** How long a request waits for a PostgreSQL connection before the hub answers 503. */
export const PG_CONNECT_TIMEOUT_MS = 3_000;

/** The embedded PostgreSQL must accept connections within this long of being started (measured: ~1.3 s). */
export const EMBEDDED_PG_START_TIMEOUT_MS = 30_000;

/** A fast shutdown of the embedded PostgreSQL gets this long before it is killed. */
export const EMBEDDED_PG_STOP_TIMEOUT_MS = 10_000;

/** JSON bodies (pairing, heartbeats, clip records); videos are streamed, not parsed. */
export const HUB_BODY_LIMIT_BYTES = 256 * 1024;

/** A request that has sent nothing for this long is dropped (a stalled upload must not hold a socket forever). */
export const HUB_REQUEST_TIMEOUT_MS = 120_000;

/** A station sends a heartbeat this often while it can reach the hub. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/** A station not heard from for this long shows as offline: three heartbeats missed. */
export const STATION_ONLINE_WINDOW_MS = 3 * HEARTBEAT_INTERVAL_MS;

/**
 * A clip record with its sealed bundle's small files: the manifest lists every chain entry of the
 * clip's segments (~1 KB each with the record around it, base64 adds a third): a 4-hour clip at 2-s
 * segments is ~7,200 entries.
 */
export const CLIP_RECORD_LIMIT_BYTES = 16 * 1024 * 1024;
