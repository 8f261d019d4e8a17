/**
 * electron-builder.yml checked against this checkout without building an installer (Electron and
 * its installers cannot be downloaded on these machines). Globs are judged by electron-builder's own
 * matcher (app-builder-lib's FileMatcher, minimatch with dot:true), against real file paths.
 *
 * Paths under dist/ are build outputs: `npm test` builds first (pretest), and this test says so
 * when they are missing. build/electron-native/ is made by `npm run rebuild:electron`, which needs
 * the internet; its path is checked as the rebuild script writes it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { ELECTRON_NATIVE_BINDING, electronNativeBindingPath } from '../../electron/native-binding.js';
import { SHIPPED_FFMPEG_DIR } from '../../electron/station/ffmpeg/locate.js';
import { repoRoot } from '../helpers/station-process.js';

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  directories: { output: string; buildResources: string };
  win: { target: Array<{ target: string; arch: string[] }>; icon: string };
  nsis: { oneClick: boolean; perMachine: boolean; createDesktopShortcut: boolean; deleteAppDataOnUninstall: boolean };
  mac: { target: string; icon: string; extendInfo: Record<string, string> };
  linux: { target: string[]; icon: string };
  electronFuses: Record<string, boolean>;
}

const config = load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; dependencies: Record<string, string> };

const require = createRequire(join(repoRoot, 'package.json'));
type Filter = (file: string, stat: { isDirectory(): boolean }) => boolean;
const { FileMatcher } = require(require.resolve('app-builder-lib/out/fileMatcher.js', { paths: [join(repoRoot, 'node_modules', 'electron-builder')] })) as {
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns: string[]) => { createFilter(): Filter };
};
/** electron-builder's own decision for a path relative to the app folder (the repository root here). */
function matcher(patterns: string[]): (rel: string) => boolean {
  const filter = new FileMatcher(repoRoot, '/app', (s) => s, patterns).createFilter();
  return (rel) => filter(join(repoRoot, rel), { isDirectory: () => false });
}
const appFile = matcher(config.files);
/**
 * node_modules are collected from the dependency tree, not by the `files` globs: electron-builder
 * applies only their exclusions, to the path `node_modules/<name>/…` (getNodeModuleFileMatcher).
 */
const moduleFile = matcher(['**/*', ...config.files.filter((p) => p.startsWith('!'))]);
const packed = (rel: string): boolean => (rel.startsWith('node_modules/') ? moduleFile(rel) : appFile(rel));
const unpacked = matcher(config.asarUnpack);

/** Every file under these folders, relative and with forward slashes. */
function walk(...roots: string[]): string[] {
  const out: string[] = [];
  const go = (abs: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, e.name);
      if (e.isDirectory()) go(p);
      else out.push(relative(repoRoot, p).split('\\').join('/'));
    }
  };
  for (const r of roots) if (existsSync(join(repoRoot, r))) go(join(repoRoot, r));
  return out;
}

const built = existsSync(join(repoRoot, 'dist', 'electron', 'main.js'));
const needsBuild = 'dist/ is missing: run `npm run build` (npm test does) before this test';

describe('electron-builder.yml', () => {
  it('lists only paths that exist: sources in the checkout, outputs of the build and of rebuild:electron', () => {
    expect(built, needsBuild).toBe(true);
    const tree = walk('dist', 'resources', 'bin', 'build', 'node_modules/@ffmpeg-installer', 'node_modules/better-sqlite3', 'node_modules/sharp', 'node_modules/@img', 'node_modules/exiftool-vendored.pl').concat(['package.json']);
    for (const pattern of [...config.files, ...config.asarUnpack].filter((p) => !p.startsWith('!'))) {
      if (pattern.startsWith('build/electron-native/')) {
        // Made by `npm run rebuild:electron` (needs the internet); `npm run dist` runs it first.
        expect(minimatch(ELECTRON_NATIVE_BINDING, pattern, { dot: true }), pattern).toBe(true);
        continue;
      }
      expect(tree.some((f) => minimatch(f, pattern, { dot: true })), `nothing in the checkout matches ${pattern}`).toBe(true);
    }
  });

  it('packs the entry points the build produces: package.json main, the preload, the UI, the CLI', () => {
    expect(built, needsBuild).toBe(true);
    const preload = 'dist/electron/preload.cjs';
    for (const entry of [pkg.main, preload, 'dist/renderer/index.html', 'bin/packwitness.js', 'package.json']) {
      expect(existsSync(join(repoRoot, entry)), `${entry} is not built`).toBe(true);
      expect(packed(entry), `${entry} is not packed`).toBe(true);
    }
    // main.ts loads the preload by this name, next to itself.
    expect(readFileSync(join(repoRoot, 'electron', 'main.ts'), 'utf8')).toContain("join(here, 'preload.cjs')");
    // The station core the main process imports is packed, benchmarks and source maps are not.
    expect(packed('dist/electron/station/station.js')).toBe(true);
    expect(packed('dist/bench/run.js')).toBe(false);
    expect(packed('dist/scripts/electron-native.js')).toBe(false);
    expect(packed('dist/electron/main.js.map')).toBe(false);
  });

  it('unpacks ffmpeg from the archive, for every platform package @ffmpeg-installer can install', () => {
    const real = walk('node_modules/@ffmpeg-installer').filter((f) => /\/ffmpeg(\.exe)?$/.test(f) && statSync(join(repoRoot, f)).size > 1e6);
    expect(real.length).toBeGreaterThan(0);
    for (const f of real) expect(unpacked(f), f).toBe(true);
    const platforms = Object.keys((require('@ffmpeg-installer/ffmpeg/package.json') as { optionalDependencies: Record<string, string> }).optionalDependencies);
    for (const p of platforms) expect(unpacked(`node_modules/${p}/${p.includes('win32') ? 'ffmpeg.exe' : 'ffmpeg'}`), p).toBe(true);
    // locate.ts turns the module's path inside app.asar into the unpacked one.
    expect(readFileSync(join(repoRoot, 'electron', 'station', 'ffmpeg', 'locate.ts'), 'utf8')).toContain("replace('app.asar', 'app.asar.unpacked')");
  });

  it('ships better-sqlite3 built for Electron, unpacked, and leaves node_modules to Node (no npmRebuild)', () => {
    expect(config.npmRebuild).toBe(false);
    expect(packed(ELECTRON_NATIVE_BINDING)).toBe(true);
    expect(unpacked(ELECTRON_NATIVE_BINDING)).toBe(true);
    // The main process finds it beside the archive when packaged, in build/ in a checkout.
    expect(electronNativeBindingPath('/opt/PackWitness/resources/app.asar')).toBe(join('/opt/PackWitness/resources/app.asar.unpacked', ...ELECTRON_NATIVE_BINDING.split('/')));
    expect(electronNativeBindingPath(repoRoot)).toBe(join(repoRoot, ...ELECTRON_NATIVE_BINDING.split('/')));
    // Node's build in node_modules is left out of the app; better-sqlite3's JavaScript stays in.
    const nodeBuild = walk('node_modules/better-sqlite3/build').find((f) => f.endsWith('.node'));
    expect(nodeBuild).toBeDefined();
    expect(packed(nodeBuild!)).toBe(false);
    expect(packed('node_modules/better-sqlite3/lib/database.js')).toBe(true);
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
  });

  it('unpacks the fonts ffmpeg reads and packs the icons the tray uses', () => {
    for (const f of walk('resources/fonts')) {
      expect(packed(f), f).toBe(true);
      expect(unpacked(f), f).toBe(true);
    }
    for (const f of ['resources/icons/tray-recording.png', 'resources/icons/tray-idle@2x.png']) {
      expect(existsSync(join(repoRoot, f))).toBe(true);
      expect(packed(f)).toBe(true);
    }
  });

  it('builds a per-user NSIS installer for Windows x64 with a desktop shortcut, and keeps the footage on uninstall', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis.perMachine).toBe(false);
    expect(config.nsis.createDesktopShortcut).toBe(true);
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false);
  });

  it('asks macOS for the camera (zh-CN and en) and never for the microphone', () => {
    expect(config.mac.target).toBe('dmg');
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/evidence/);
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/录制/);
    expect(config.mac.extendInfo).not.toHaveProperty('NSMicrophoneUsageDescription');
  });

  it('builds an AppImage and a deb for Linux', () => {
    expect([...config.linux.target].sort()).toEqual(['AppImage', 'deb']);
  });

  it('has real icons: a 512x512 PNG, an ICO with a 256 px image, an ICNS with 512 and 1024 px images', () => {
    const png = readFileSync(join(repoRoot, config.linux.icon));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    const ico = readFileSync(join(repoRoot, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(widths).toContain(256);
    expect(widths).toContain(16);
    const icns = readFileSync(join(repoRoot, config.mac.icon));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let o = 8; o < icns.length; o += icns.readUInt32BE(o + 4)) types.push(icns.subarray(o, o + 4).toString('latin1'));
    expect(types).toEqual(expect.arrayContaining(['ic09', 'ic10']));
  });

  it('flips the Electron fuses: no NODE_OPTIONS or --inspect, code only from the checked app.asar; Node mode only for the decode children', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Names electron-builder knows (a misspelt fuse would be refused only at `npm run dist`).
    const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json', { paths: [join(repoRoot, 'node_modules', 'electron-builder')] }), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    for (const name of Object.keys(config.electronFuses)) expect(Object.keys(scheme.definitions.FuseOptionsV1.properties), name).toContain(name);
    // runAsNode is on for one reason: the buyer-file children (node-child.ts). Nothing else may run
    // the app's binary as Node, or fork it.
    const asNode = walk('electron').filter((file) => /ELECTRON_RUN_AS_NODE|\bfork\(/.test(readFileSync(join(repoRoot, file), 'utf8')));
    expect(asNode).toEqual(['electron/station/node-child.ts']);
  });

  it('is built by `npm run dist`, which makes the Electron native build and takes the current ffmpeg first', () => {
    expect(pkg.scripts.dist).toMatch(/npm run build && node dist\/scripts\/electron-native\.js --if-missing && node dist\/scripts\/dist-ffmpeg\.js && electron-builder --config electron-builder\.yml/);
    // What dist-ffmpeg.ts writes to build/ffmpeg becomes the app's resources/ffmpeg, where locate.ts looks.
    expect((config as unknown as { extraResources: unknown }).extraResources).toEqual([{ from: 'build/ffmpeg', to: SHIPPED_FFMPEG_DIR }]);
    expect(pkg.scripts.start).toMatch(/electron-native\.js --if-missing && electron \.$/);
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain('npm run dist');
  });
});
