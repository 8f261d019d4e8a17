/**
 * The settings schemas' refusals in the UI's language. The schemas (shared/api.ts) speak English for
 * the API; here their own sentences are looked up by text (or by `params.messageKey` when they carry
 * details) in the `schema` table, and zod's generic ones ("too small", "expected a number") come from
 * zod's own locale for the parse.
 */
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import enLocale from 'zod/v4/locales/en.js';
import zhCNLocale from 'zod/v4/locales/zh-CN.js';
import { SchemaMessage, type SchemaMessageKey } from '../../../shared/api';
import type { Language } from './index';

const keyByText = new Map(Object.entries(SchemaMessage).map(([key, text]) => [text as string, key as SchemaMessageKey]));
const localeErrors = { 'zh-CN': zhCNLocale().localeError, en: enLocale().localeError };

/**
 * Options for safeParse so zod's generic messages are in this language. English too: zod sets its
 * English locale as a side effect of loading, which the bundle drops (zod declares no side effects),
 * and the screen said only "Invalid input".
 */
export function parseOptions(lng: Language): { error: (typeof localeErrors)[Language] } {
  return { error: localeErrors[lng] };
}

export function issueText(issue: z.core.$ZodIssue, t: TFunction): string {
  const params: Record<string, unknown> = ('params' in issue ? issue.params : undefined) ?? {};
  const key = (params.messageKey as SchemaMessageKey | undefined) ?? keyByText.get(issue.message);
  return key ? t(`schema.${key}` as const, params) : issue.message;
}
