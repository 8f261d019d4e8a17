import { useTranslation } from 'react-i18next';
import type { StatusResponse } from '../../../../shared/api';
import { FitText } from './FitText';

/**
 * Who is signed in at the bench, read from across it: the name in large type (shrunk to fit, never
 * cut: a packer checks it is their own), the badge code small under it, or "No packer signed in" so
 * a packer who forgot to scan their badge sees it before packing under nobody. The name comes from
 * the packers list (a scanned badge's code when not listed): React renders it as text.
 */
export function SignedInPacker({ status }: { status: StatusResponse | null }) {
  const { t } = useTranslation();
  const code = status?.packer ?? null;
  const name = status?.packerName ?? code;
  return (
    <section className="bench-packer" data-testid="bench-packer" data-signed-in={String(code !== null)} aria-live="polite">
      <span className="bench-packer__label">{t('benchPacker.label')}</span>
      {code !== null && name !== null ? (
        <>
          <FitText className="bench-packer__name" testId="bench-packer-name">
            {name}
          </FitText>
          {name !== code && (
            <span className="bench-packer__code" data-testid="bench-packer-code">
              {code}
            </span>
          )}
        </>
      ) : (
        <span className="bench-packer__none" data-testid="bench-packer-none">
          {status ? t('benchPacker.none') : ''}
        </span>
      )}
    </section>
  );
}
