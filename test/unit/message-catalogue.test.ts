/**
 * The message catalogue (shared/messages): every code has both languages naming the same
 * parameters, every code the station, hub, CLI and shell name is in it, and a reader renders a code
 * in its language, falling back to the English sentence for a code it does not know.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorResponse } from '../../shared/api.js';
import { CATALOGUE, isMessageCode, msg, render, renderKnown, templateParams, type Template } from '../../shared/messages/index.js';
import { refusalText } from '../../renderer/src/i18n/refusal-text.js';
import { refusal } from '../../electron/station/localized-error.js';

const root = join(__dirname, '../..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));

describe('message catalogue', () => {
  it('every code has English and Chinese with the same parameter names', () => {
    const entries = Object.entries(CATALOGUE) as [string, { en: Template; 'zh-CN': Template }][];
    expect(entries.length).toBeGreaterThan(150);
    for (const [code, e] of entries) {
      expect(code, code).toMatch(/^[a-z][A-Za-z0-9]*\.[A-Za-z0-9]+$/);
      for (const lng of ['en', 'zh-CN'] as const) {
        const t = e[lng];
        const texts = typeof t === 'string' ? [t] : [t.one, t.other];
        for (const s of texts) expect(s.trim().length, `${code} ${lng}`).toBeGreaterThan(0);
      }
      expect(templateParams(e['zh-CN']), code).toEqual(templateParams(e.en));
      // A plural splits on `count`, so it must be a parameter of the message.
      if (typeof e.en !== 'string' || typeof e['zh-CN'] !== 'string') expect(templateParams(e.en), code).toContain('count');
    }
  });

  it('every code named in electron/, shared/ and renderer/ is in the catalogue', () => {
    const named = new Map<string, string>();
    for (const dir of ['electron', 'shared', 'renderer/src']) {
      for (const file of sources(join(root, dir))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/\bmsg\(\s*'([^']+)'/g)) named.set(m[1]!, file);
        // A code chosen by a condition: msg(x ? 'a.b' : 'c.d').
        for (const m of text.matchAll(/\bmsg\(\s*[^'()]*\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) for (const c of [m[1]!, m[2]!]) named.set(c, file);
      }
    }
    expect(named.size).toBeGreaterThan(100);
    const missing = [...named].filter(([code]) => !isMessageCode(code));
    expect(missing).toEqual([]);
  });

  it('the station\'s routes word no refusal in English only: each goes through refusal() or errorBody() with a code', () => {
    const literal: string[] = [];
    for (const file of sources(join(root, 'electron/station/server'))) {
      const text = readFileSync(file, 'utf8');
      // `{ error: '…' }` or `{ error: `…` }` written out as a reply: the UI could only show it in English.
      for (const m of text.matchAll(/\{\s*error:\s*['`"]/g)) literal.push(`${file.slice(root.length + 1)}: ${text.slice(m.index, m.index + 60)}`);
    }
    expect(literal).toEqual([]);
  });

  it('renders parameters, plurals, clauses and two-language data in each language', () => {
    expect(render(msg('login.tooManyFailures', { count: 1 }), 'en')).toBe('too many wrong passwords or tokens from this computer; try again in 1 minute');
    expect(render(msg('login.tooManyFailures', { count: 15 }), 'en')).toBe('too many wrong passwords or tokens from this computer; try again in 15 minutes');
    expect(render(msg('login.tooManyFailures', { count: 15 }), 'zh-CN')).toBe('这台电脑输错密码或令牌次数过多；请 15 分钟后再试');
    const damaged = msg('clipExport.segmentDamaged', { id: 7, file: 'a.ts', more: msg('clipExport.andMore', { count: 2 }), detail: 'x' });
    expect(render(damaged, 'en')).toBe('Clip 7 cannot be exported: its segment a.ts (and 2 more) is damaged on disk (x).');
    expect(render(damaged, 'zh-CN')).toBe('片段 7 无法导出：其分段 a.ts（另有 2 个） 在磁盘上已损坏（x）。');
    const named = msg('presets.builtInNotDeleted', { name: { en: 'JD', 'zh-CN': '京东' }, id: 'jd' });
    expect(render(named, 'zh-CN')).toBe('内置预设“京东”（jd）不能删除；可以将其恢复为默认值');
    // Parameter text is inserted as it is (the UI's React escapes it); template syntax in it is not expanded.
    expect(render(msg('export.noClip', { id: '<b>{{id}}</b>' }), 'en')).toBe('no clip <b>{{id}}</b>');
  });

  it('a refusal carries English, the code and its parameters; the UI renders the code in its language', () => {
    const body = ErrorResponse.parse(JSON.parse(JSON.stringify(refusal(msg('login.tooManyFailures', { count: 3 })))));
    expect(body).toMatchObject({ error: 'too many wrong passwords or tokens from this computer; try again in 3 minutes', code: 'login.tooManyFailures', params: { count: 3 } });
    expect(refusalText(body, 'zh-CN')).toBe('这台电脑输错密码或令牌次数过多；请 3 分钟后再试');
    expect(refusalText(body, 'en')).toBe(body.error);
  });

  it('an unknown code (a newer station) is never shown: the UI falls back to the sentence sent with it', () => {
    expect(renderKnown({ code: 'newer.thing' }, 'en')).toBeNull();
    expect(refusalText({ error: 'a newer refusal', code: 'newer.thing' }, 'zh-CN')).toBe('a newer refusal');
    expect(refusalText({ error: 'a newer refusal', code: 'newer.thing', message: { en: 'a newer refusal', 'zh-CN': '新的拒绝' } }, 'zh-CN')).toBe('新的拒绝');
    // A known code with a clause the UI does not know falls back as a whole.
    expect(refusalText({ error: 'Clip 1 cannot be exported: soon', code: 'clipExport.cannotBeExported', params: { id: 1, why: { code: 'newer.why' } } }, 'zh-CN')).toBe('Clip 1 cannot be exported: soon');
    expect(refusalText({ error: 'plain' }, 'zh-CN')).toBe('plain');
  });
});
