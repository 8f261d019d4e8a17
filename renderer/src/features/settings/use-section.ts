/**
 * One settings section's life: load it, edit a draft checked by the section's schema from
 * shared/api.ts on every change (its messages in the UI's language), save it on its own. The server
 * checks again on save; its one-sentence refusal is shown as it is, and the draft stays as typed so
 * nothing is lost.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { currentLanguage } from '../../i18n';
import { issueText, parseOptions } from '../../i18n/schema-errors';

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

export interface Section<T> {
  draft: T | null;
  setDraft: (next: T) => void;
  loadError: string | null;
  /** Field path ('rules.2.pattern') → the schema's message for it; '' for the whole section. */
  errors: Record<string, string>;
  valid: boolean;
  save: () => Promise<void>;
  saveState: SaveState;
  dirty: boolean;
}

export function useSection<T>(schema: z.ZodType<T>, load: () => Promise<T>, store: (v: T) => Promise<T>): Section<T> {
  const [saved, setSaved] = useState<T | null>(null);
  const [draft, setDraftState] = useState<T | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });

  useEffect(() => {
    let live = true;
    load().then(
      (v) => {
        if (!live) return;
        setSaved(v);
        setDraftState(v);
      },
      (err: unknown) => live && setLoadError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
    // Loaded once per screen.
  }, []);

  const { t, i18n } = useTranslation();
  const errors = useMemo(() => {
    if (draft === null) return {};
    const r = schema.safeParse(draft, parseOptions(currentLanguage()));
    if (r.success) return {};
    const out: Record<string, string> = {};
    for (const issue of r.error.issues) {
      const key = issue.path.join('.');
      out[key] ??= issueText(issue, t);
    }
    return out;
    // i18n.language: the messages follow a language switch.
  }, [schema, draft, t, i18n.language]);
  const valid = draft !== null && Object.keys(errors).length === 0;

  const setDraft = useCallback((next: T) => {
    setDraftState(next);
    setSaveState({ kind: 'idle' });
  }, []);

  const save = useCallback(async () => {
    if (draft === null || !valid) return;
    setSaveState({ kind: 'saving' });
    try {
      const stored = await store(draft);
      setSaved(stored);
      setDraftState(stored);
      setSaveState({ kind: 'saved' });
    } catch (err) {
      setSaveState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }, [draft, valid, store]);

  const dirty = useMemo(() => JSON.stringify(saved) !== JSON.stringify(draft), [saved, draft]);
  return { draft, setDraft, loadError, errors, valid, save, saveState, dirty };
}
