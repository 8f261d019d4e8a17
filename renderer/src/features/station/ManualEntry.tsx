import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * For a code the scanner cannot read (torn label, glare): typed by hand, sent with Enter. After
 * sending, the box gives the focus back to the page, so the next scan is heard by the page-wide
 * scanner listener again (a scanner that ends with Tab or with nothing would otherwise leave its
 * code sitting in this box).
 */
export function ManualEntry({ onSubmit }: { onSubmit: (code: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = value.trim();
    if (!code) return;
    onSubmit(code);
    setValue('');
    input.current?.blur();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      setValue('');
      input.current?.blur();
    }
  };

  return (
    <form className="manual-entry" onSubmit={submit} data-testid="manual-entry-form">
      <label htmlFor={id} className="manual-entry__label">
        {t('manual.label')}
      </label>
      <input
        id={id}
        ref={input}
        className="manual-entry__input"
        data-testid="manual-entry"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={t('manual.placeholder')}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="characters"
        spellCheck={false}
        enterKeyHint="send"
        maxLength={4096}
      />
      <button type="submit" className="manual-entry__submit">
        {t('manual.submit')}
      </button>
    </form>
  );
}
