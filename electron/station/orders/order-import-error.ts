import { LocalizedError, type Message } from '../localized-error.js';

/** An order import refused as a whole, in one sentence a shop owner can act on (a catalogue message); nothing was imported. */
export class OrderImportError extends LocalizedError {
  override name = 'OrderImportError';
  constructor(text: Message) {
    super(text);
  }
}
