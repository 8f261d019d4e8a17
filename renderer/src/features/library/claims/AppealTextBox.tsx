import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { currentLanguage } from '../../../i18n';
import { copyText } from '../copy-text';

/**
 * The appeal text (申诉说明) of a claim in the UI language, made by the station (shared/appeal-text.ts,
 * GET …/appeal-text), read-only, with its length and a copy button: the merchant pastes it into the
 * platform's appeal form. Shown as a textarea's value, so nothing in it is ever read as markup.
 */
export function AppealTextBox({ clipId, claimId }: { clipId: number; claimId: number }) {
  const { t, i18n } = useTranslation();
  const lng = currentLanguage();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let live = true;
    setText(null);
    setError(null);
    api.appealText(clipId, claimId, lng).then(
      (s) => live && setText(s),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
    // i18n.language: a language switch makes the text again in the new language.
  }, [clipId, claimId, lng, i18n.language]);

  useEffect(() => {
    if (copied === null) return;
    const id = setTimeout(() => setCopied(null), 2_000);
    return () => clearTimeout(id);
  }, [copied]);

  return (
    <div className="appeal-text" data-testid="appeal-text" data-lang={lng}>
      <h4 className="appeal-text__title">{t('claim.appealTitle')}</h4>
      <p className="panel__help">{t('claim.appealHelp')}</p>
      {error && (
        <p className="panel__error" role="alert">
          {t('claim.appealError', { message: error })}
        </p>
      )}
      {text === null && !error && <p className="panel__help">{t('clipPage.loading')}</p>}
      {text !== null && (
        <>
          <textarea ref={box} className="field-input appeal-text__box" readOnly value={text} rows={Math.min(18, text.split('\n').length + 1)} data-testid="appeal-text-box" />
          <div className="appeal-text__actions">
            <button type="button" className="button" data-testid="copy-appeal-text" onClick={() => void copyText(text, box.current).then(setCopied) /* never rejects */}>
              {copied === true ? `✓ ${t('clipPage.copied')}` : copied === false ? t('clipPage.copyFailed') : t('claim.copyAppeal')}
            </button>
            <span className="panel__help" data-testid="appeal-text-chars">
              {t('claim.appealChars', { count: [...text].length })}
            </span>
          </div>
        </>
      )}
    </div>
  );
}
