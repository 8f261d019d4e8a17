/** An order import refused as a whole, in one sentence a shop owner can act on; nothing was imported. */
export class OrderImportError extends Error {
  override name = 'OrderImportError';
}
