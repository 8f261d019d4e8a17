/**
 * The one translation path: a `Message` is a catalogue code and its parameters. The server sends it
 * (ErrorResponse `code` + `params`, with `error` in English for logs, the CLI and scripts) and each
 * reader renders it in its own language: the UI in the UI's, the CLI and logs in English.
 * Parameters are plain text here; the renderer puts the result in React text nodes, which escape it
 * (a parameter may come from a camera, a buyer's file or a bundle).
 */
import { CATALOGUE, type Template } from './catalogue.js';

export { CATALOGUE, type Template } from './catalogue.js';
export type MessageCode = keyof typeof CATALOGUE;
export type MessageLanguage = 'en' | 'zh-CN';

/**
 * A parameter: text, a number, another message rendered in the same language (a clause), or a text
 * that is data in both languages (a preset's name as the operator edited it).
 */
export type MessageParam = string | number | Message | BothLanguages;
export interface Message {
  code: MessageCode;
  params?: Record<string, MessageParam>;
}
/** The same languages object the API carries where a text is data (LocalizedText in shared/api.ts). */
export interface BothLanguages {
  en: string;
  'zh-CN': string;
}

export function msg(code: MessageCode, params?: Record<string, MessageParam>): Message {
  return params ? { code, params } : { code };
}

export function isMessageCode(code: unknown): code is MessageCode {
  return typeof code === 'string' && Object.hasOwn(CATALOGUE, code);
}

/** A template's {{names}} (both forms of a plural), for the catalogue test. */
export function templateParams(t: Template): string[] {
  const texts = typeof t === 'string' ? [t] : [t.one, t.other];
  return [...new Set(texts.flatMap((s) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!)))].sort();
}

function fill(template: Template, params: Record<string, MessageParam>, lng: MessageLanguage): string {
  const text = typeof template === 'string' ? template : params.count === 1 ? template.one : template.other;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return '';
    if (typeof v !== 'object') return String(v);
    return 'code' in v ? render(v, lng) : v[lng];
  });
}

/** The message in one language; an unknown code (a newer station's) yields null, so the reader falls back. */
export function renderKnown(m: { code: string; params?: Record<string, unknown> }, lng: MessageLanguage): string | null {
  if (!isMessageCode(m.code)) return null;
  const params = (m.params ?? {}) as Record<string, MessageParam>;
  for (const v of Object.values(params)) {
    if (typeof v !== 'object' || v === null) continue;
    if ('code' in v ? renderKnown(v, lng) === null : typeof v[lng] !== 'string') return null;
  }
  return fill(CATALOGUE[m.code][lng], params, lng);
}

export function render(m: Message, lng: MessageLanguage): string {
  return fill(CATALOGUE[m.code][lng], m.params ?? {}, lng);
}

/** Both languages, for the fields of the API that carry text as data and for two-language alarms. */
export function bothLanguages(m: Message): BothLanguages {
  return { en: render(m, 'en'), 'zh-CN': render(m, 'zh-CN') };
}

/** The settings schemas' sentences (codes `schema.*`), by their key without the prefix. */
export type SchemaMessageKey = MessageCode extends infer C ? (C extends `schema.${infer K}` ? K : never) : never;

/** The schema sentences in one language: zod speaks English (`en`), the settings screen either. */
export function schemaTexts(lng: MessageLanguage): Record<SchemaMessageKey, string> {
  const out: Record<string, string> = {};
  for (const [code, entry] of Object.entries(CATALOGUE)) {
    if (code.startsWith('schema.')) out[code.slice('schema.'.length)] = entry[lng] as string;
  }
  return out as Record<SchemaMessageKey, string>;
}
