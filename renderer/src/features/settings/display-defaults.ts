/**
 * The station's saved language and sounds are the defaults for a browser that has not chosen its own
 * (a new bench PC, a customer-service PC opening the library for the first time). A choice made with
 * the language switch or the sound toggle stays this browser's and wins.
 */
import { api } from '../../api/client';
import { applyDefaultLanguage } from '../../i18n';
import { applyDefaultSounds } from '../station/sounds';

export async function applyDisplayDefaults(): Promise<void> {
  try {
    const d = await api.displaySettings();
    if (d.language) applyDefaultLanguage(d.language);
    applyDefaultSounds(d.sounds);
  } catch {
    // An older station without the route, or offline: the browser's own defaults stay.
  }
}
