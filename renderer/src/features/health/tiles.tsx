import type { ReactNode } from 'react';

/** The big tiles of the health and statistics pages: readable from across the packing bench. */
export function Tile({ title, testId, tone, children }: { title: string; testId: string; tone?: 'warn' | 'danger'; children: ReactNode }) {
  return (
    <section className="health-tile" data-testid={testId} data-tone={tone}>
      <h2 className="health-tile__title">{title}</h2>
      {children}
    </section>
  );
}

export function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="health__count">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value.toLocaleString()}</dd>
    </div>
  );
}
