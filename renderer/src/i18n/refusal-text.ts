/**
 * A refusal's sentence in the UI's language: its catalogue code rendered with its parameters
 * (shared/messages, the server's own catalogue), else the station's both-language `message` (a
 * newer station's code this UI does not know yet), else the English `error`. Never the raw code.
 * The result is plain text: React escapes it where it is shown.
 */
import type { ErrorResponse } from '../../../shared/api.js';
import { renderKnown, type MessageLanguage } from '../../../shared/messages/index.js';

export function refusalText(body: ErrorResponse, lng: MessageLanguage): string {
  const rendered = body.code ? renderKnown({ code: body.code, params: body.params }, lng) : null;
  return rendered ?? body.message?.[lng] ?? body.error;
}
