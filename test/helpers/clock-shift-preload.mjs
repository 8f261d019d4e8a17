// Loaded into a station process (NODE_OPTIONS=--import) by the clock-jump fault test: Date.now() is
// shifted by the number of milliseconds in the file PW_TEST_CLOCK_SHIFT_FILE (re-read every 100 ms),
// as if the machine's clock had been stepped. Only Node sees it: ffmpeg keeps the real clock.
import { readFileSync } from 'node:fs';

const file = process.env.PW_TEST_CLOCK_SHIFT_FILE;
if (file) {
  const realNow = Date.now.bind(Date);
  let shift = 0;
  const read = () => {
    try {
      shift = Number(readFileSync(file, 'utf8').trim()) || 0;
    } catch {
      shift = 0;
    }
  };
  read();
  setInterval(read, 100).unref();
  Date.now = () => realNow() + shift;
}
