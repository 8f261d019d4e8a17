import { useEffect, useRef } from 'react';
import { unlockAudio } from './sounds';
import { WEDGE_IDLE_FLUSH_MS, WedgeDetector, type WedgeScan } from './wedge-detector';

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Keys typed here belong to the field (the manual entry box, any future settings field), never to the scanner listener. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

/**
 * A field whose scans are its own (`data-scanner="field"`): the settings' rule tester, where the
 * operator scans a label to see how it would be taken. The page-wide listener leaves it alone.
 */
function keepsScans(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('[data-scanner="field"]') !== null;
}

export interface WedgeScannerOptions {
  /**
   * 'leave' (the station screen): keys typed into a text field belong to it, as the manual entry box
   * needs. 'catch' (every other screen of the operator): a scanner burst is a scan wherever
   * the focus is; a burst that landed in a field is taken out of it again, and a person's typing,
   * slower than any scanner, stays typing.
   */
  fields?: 'leave' | 'catch';
}

/** What a field held when a run of keys began, to put back if the run turns out to be a scan. */
type FieldBefore =
  | { el: HTMLInputElement | HTMLTextAreaElement; value: string; start: number | null; end: number | null }
  | { el: HTMLSelectElement; selectedIndex: number };

function noteField(target: EventTarget | null): FieldBefore | null {
  if (target instanceof HTMLSelectElement) return { el: target, selectedIndex: target.selectedIndex };
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
    let start: number | null = null;
    let end: number | null = null;
    try {
      ({ selectionStart: start, selectionEnd: end } = target);
    } catch {
      // number and email inputs have no selection
    }
    return { el: target, value: target.value, start, end };
  }
  return null;
}

/**
 * Puts a field back as it was before the scanner typed into it. Through the element's own value
 * setter and an input event, as typing would: a React-controlled field takes it as a change.
 */
function restoreField(before: FieldBefore): void {
  const { el } = before;
  if (!el.isConnected) return;
  if (el instanceof HTMLSelectElement) {
    if ('selectedIndex' in before && el.selectedIndex !== before.selectedIndex) {
      el.selectedIndex = before.selectedIndex;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
    return;
  }
  if (!('value' in before) || el.value === before.value) return;
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, before.value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  try {
    if (before.start !== null && before.end !== null) el.setSelectionRange(before.start, before.end);
  } catch {
    // no selection on this kind of input
  }
}

/**
 * Listens to the whole page for a keyboard-wedge scanner (see wedge-detector.ts) and calls `onScan`
 * with each code it reads. No input field needs the focus, so a packer never has to click anything
 * before scanning.
 */
export function useWedgeScanner(onScan: (scan: WedgeScan) => void, { fields = 'leave' }: WedgeScannerOptions = {}): void {
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  }, [onScan]);

  useEffect(() => {
    const detector = new WedgeDetector();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The field the current run of keys went into, as it was before the run's first key.
    let before: FieldBefore | null = null;

    const emit = (scans: WedgeScan[]): void => {
      for (const s of scans) {
        if (before) restoreField(before);
        before = null;
        onScanRef.current(s);
      }
    };

    // For scanners that send no terminator: end the burst when the silence is long enough. Counted
    // from when the last key was handled, not from its timestamp: a busy page handles a scanner's keys
    // late, and a timer due by their timestamps would run between two of them and cut the code in two.
    // And longer than the keys' own limit: the rest of a burst can reach the page late (see
    // WEDGE_IDLE_FLUSH_MS); keys that come before the timer are judged by their timestamps.
    const arm = (): void => {
      clearTimeout(timer);
      const deadline = detector.idleDeadline();
      if (deadline === null) return;
      timer = setTimeout(() => {
        const scan = detector.flushIdle(deadline);
        if (scan) emit([scan]);
      }, WEDGE_IDLE_FLUSH_MS);
    };

    const reset = (): void => {
      detector.reset();
      clearTimeout(timer);
      before = null;
    };

    const onKeyDown = (e: KeyboardEvent): void => {
      unlockAudio();
      const inField = isTextField(e.target);
      // IME composition ('Process'), auto-repeat and the fields that keep their keys: not ours.
      if ((inField && (fields === 'leave' || keepsScans(e.target))) || e.isComposing || e.key === 'Process' || e.repeat) {
        reset();
        return;
      }
      // AltGr arrives as Ctrl+Alt on Windows and types characters (e.g. '@' on many layouts).
      const withModifier = (e.ctrlKey || e.altKey || e.metaKey) && !e.getModifierState('AltGraph');
      // KeyboardEvent.timeStamp is when the key arrived, on the performance.now() clock: a busy
      // main thread delays the handler, not the timestamp.
      const result = detector.feed({ key: e.key, at: e.timeStamp, withModifier });
      // In a field, a character is never held back: until the run is over nobody knows whether a
      // person typed it, and a person's keys must all arrive. A terminator that completes a scan is.
      const terminator = e.key === 'Enter' || e.key === 'Tab';
      if (result.swallow && (!inField || terminator)) {
        // An Enter from the scanner must not press the button that has the focus; a Tab must not move it.
        e.preventDefault();
        e.stopPropagation();
      }
      emit(result.scans);
      // Noted after any scan this key completed was taken out of the field, before this key lands in it.
      if (result.startedRun) before = inField ? noteField(e.target) : null;
      arm();
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('blur', reset);
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('blur', reset);
      clearTimeout(timer);
    };
  }, [fields]);
}
