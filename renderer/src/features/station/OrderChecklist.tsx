import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScannedOrder } from '../../../../shared/api';

/**
 * What should be in the parcel, beside the code: the imported order's items in type read
 * from across the bench, each a box the packer taps as it goes in. Ticks belong to this screen and
 * this clip only (a new clip starts unticked); they are a help, not evidence. Item names come from
 * the shop's export and are rendered as text by React, never as markup.
 */
export function OrderChecklist({ order, clipId }: { order: ScannedOrder; clipId: number }) {
  const { t } = useTranslation();
  const [ticked, setTicked] = useState<{ clipId: number; lines: ReadonlySet<number> }>({ clipId, lines: new Set() });
  const lines = ticked.clipId === clipId ? ticked.lines : new Set<number>();
  const toggle = (i: number): void => {
    const next = new Set(lines);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setTicked({ clipId, lines: next });
  };
  return (
    <section className="order-checklist" data-testid="order-checklist" aria-label={t('order.checklist', { orderNo: order.orderNo })}>
      <header className="order-checklist__head">
        <span data-testid="order-no">{t('order.orderNo', { orderNo: order.orderNo })}</span>
        {order.platform && <span className="order-checklist__meta">{order.platform}</span>}
        {order.buyer && (
          <span className="order-checklist__meta">
            {t('order.buyer')}: {order.buyer}
          </span>
        )}
      </header>
      {order.items.length === 0 ? (
        <p className="order-checklist__empty">{t('order.noItems')}</p>
      ) : (
        <ul className="order-checklist__items">
          {order.items.map((item, i) => (
            <li key={i} className="order-checklist__item" data-testid="order-item" data-checked={String(lines.has(i))}>
              <label>
                <input type="checkbox" checked={lines.has(i)} onChange={() => toggle(i)} />
                <span className="order-checklist__qty">{t('order.qty', { qty: item.qty })}</span>
                <span className="order-checklist__name">{item.name}</span>
                {item.sku && <span className="order-checklist__sku">{t('order.sku', { sku: item.sku })}</span>}
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
