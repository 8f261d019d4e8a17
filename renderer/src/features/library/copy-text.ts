/** Copies with the Clipboard API where the page may (HTTPS, localhost), else by selecting the text. */
export async function copyText(text: string, fallback: HTMLElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  if (!fallback) return false;
  if (fallback instanceof HTMLTextAreaElement || fallback instanceof HTMLInputElement) {
    fallback.select();
  } else {
    const range = document.createRange();
    range.selectNodeContents(fallback);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
  }
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
