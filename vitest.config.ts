import { defineConfig } from 'vitest/config';

/**
 * Files whose assertions measure the product's own timing against a real clock (how fast a stalled
 * camera is noticed, how fresh the newest segment is while Node stalls, which frame a scan lands on):
 * they run one at a time, after everything else, so they measure the station and not the tests
 * beside them.
 */
const ALONE = [
  // The codes switch on the same frame on two cameras: the overlay file must be rewritten before the boundary.
  'test/integration/multi-camera-sync.test.ts',
  'test/integration/watchdog.test.ts',
  'test/integration/station-stall.test.ts',
  'test/integration/overlay-codes.test.ts',
  // Which frames show the packer and the order, against the wall-clock moments of the scans.
  'test/integration/overlay-packer-order.test.ts',
  'test/integration/faults-camera.test.ts',
  'test/integration/faults-clock.test.ts',
  'test/integration/recording.test.ts',
  'test/integration/ffmpeg-feeds.test.ts',
  'test/integration/disk-full.test.ts',
  'test/integration/settings.test.ts',
  'test/integration/stop-during-start.test.ts',
  'test/integration/desktop-shutdown.test.ts',
  'test/integration/scan-to-clip.test.ts',
  // Two cameras recording at once, one killed while the other's state is watched.
  'test/integration/multi-camera.test.ts',
  'test/integration/encoder-settings.test.ts',
  // A clip's end is checked against its last scan to a frame, and a still bench is told from a busy one.
  'test/integration/idle-stop.test.ts',
  // The camera card's live line is watched across a camera restart; beside another file it once took 120 s.
  'test/e2e/camera-change.test.ts',
];

// Everything else runs two files at a time: most of an integration or e2e test's time is real time
// (footage being filmed, a post-roll, a clip being cut), which a second file on the other core can use.
export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: 2 } },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false } },
    ],
  },
});
