#!/usr/bin/env node
// The CLI is compiled by `npm run build` (run by `npm install` through `prepare`).
import('../dist/electron/cli/packwitness.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/electron/cli')) {
    console.error('packwitness is not built yet: run `npm run build` in the project folder first.');
    process.exit(1);
  }
  throw err;
});
