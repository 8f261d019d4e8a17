import 'i18next';
import type { Messages } from './en';

// Typed keys: t('stats.restart') (a typo) fails the type check instead of showing the key on screen.
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: Messages };
  }
}
