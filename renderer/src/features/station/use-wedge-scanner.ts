import { useEffect, useRef } from 'react';
import { unlockAudio } from './sounds';
import { WEDGE_IDLE_END_MS, WedgeDetector, type WedgeScan } from './wedge-detector';

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Keys typed here belong to the field (the manual entry box, any future settings field), never to the scanner listener. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

/**
 * Listens to the whole page for a keyboard-wedge scanner (see wedge-detector.ts) and calls `onScan`
 * with each code it reads. No input field needs the focus, so a packer never has to click anything
 * before scanning. Keys typed into a text field are left to that field.
 */
export function useWedgeScanner(onScan: (scan: WedgeScan) => void): void {
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  }, [onScan]);

  useEffect(() => {
    const detector = new WedgeDetector();
    let timer: ReturnType<typeof setTimeout> | undefined;

    const emit = (scans: WedgeScan[]): void => {
      for (const s of scans) onScanRef.current(s);
    };

    // For scanners that send no terminator: end the burst when the silence is long enough. Counted
    // from when the last key was handled, not from its timestamp: a busy page handles a scanner's keys
    // late, and a timer due by their timestamps would run between two of them and cut the code in two.
    const arm = (): void => {
      clearTimeout(timer);
      const deadline = detector.idleDeadline();
      if (deadline === null) return;
      timer = setTimeout(() => {
        const scan = detector.flushIdle(deadline);
        if (scan) emit([scan]);
      }, WEDGE_IDLE_END_MS);
    };

    const reset = (): void => {
      detector.reset();
      clearTimeout(timer);
    };

    const onKeyDown = (e: KeyboardEvent): void => {
      unlockAudio();
      // IME composition ('Process'), auto-repeat and text fields: not ours.
      if (isTextField(e.target) || e.isComposing || e.key === 'Process' || e.repeat) {
        reset();
        return;
      }
      // AltGr arrives as Ctrl+Alt on Windows and types characters (e.g. '@' on many layouts).
      const withModifier = (e.ctrlKey || e.altKey || e.metaKey) && !e.getModifierState('AltGraph');
      // KeyboardEvent.timeStamp is when the key arrived, on the performance.now() clock: a busy
      // main thread delays the handler, not the timestamp.
      const result = detector.feed({ key: e.key, at: e.timeStamp, withModifier });
      if (result.swallow) {
        // An Enter from the scanner must not press the button that has the focus; a Tab must not move it.
        e.preventDefault();
        e.stopPropagation();
      }
      emit(result.scans);
      arm();
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('blur', reset);
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('blur', reset);
      clearTimeout(timer);
    };
  }, []);
}
