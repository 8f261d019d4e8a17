import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The station's HTTP server serves dist/renderer at /, and Electron may load the same files from disk:
// relative asset URLs work for both. Vite resolves outDir against root, hence '../dist/renderer'.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    // The output folder is outside root, where Vite will not empty it unless told to.
    emptyOutDir: true,
    // Station PCs run Electron's Chromium or a current browser; no legacy transforms needed.
    target: 'es2022',
  },
});
