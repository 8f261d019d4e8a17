import { useLayoutEffect, useRef, type ReactNode } from 'react';

/**
 * One line of text as large as fits its box: an order number must be shown whole (its last digits
 * are what people compare), whatever its length and whatever the font's digit width (Segoe UI,
 * Microsoft YaHei and DejaVu differ by a quarter). Measured, not guessed.
 *
 * The box's own CSS font-size is the largest size; the text shrinks below it only when it must.
 */
export function FitText({ className, children, testId }: { className?: string; children: ReactNode; testId?: string }) {
  const box = useRef<HTMLSpanElement>(null);
  const text = useRef<HTMLSpanElement>(null);

  useLayoutEffect(() => {
    const b = box.current;
    const t = text.current;
    if (!b || !t) return;
    const fit = () => {
      t.style.fontSize = '';
      const natural = t.getBoundingClientRect().width;
      const room = b.clientWidth;
      if (natural <= room || natural === 0 || room === 0) return;
      const max = parseFloat(getComputedStyle(b).fontSize);
      t.style.fontSize = `${Math.max(10, Math.floor((max * room) / natural) - 1)}px`;
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(b);
    // A font that finishes loading late changes the width.
    void document.fonts?.ready.then(fit);
    return () => ro.disconnect();
  }, [children]);

  return (
    <span ref={box} className={`fit-text ${className ?? ''}`} data-testid={testId}>
      <span ref={text} className="fit-text__inner">
        {children}
      </span>
    </span>
  );
}
