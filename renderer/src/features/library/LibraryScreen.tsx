import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ClipMode, ClipStatus } from '../../../../shared/api';
import { libraryHash, navigate, rememberLibraryHash } from '../../app/routing';
import { useSession } from '../auth/session-store';
import { PhotoDropZone } from './claims/PhotoDropZone';
import { ClipRow } from './ClipRow';
import { EMPTY_FILTERS, filtersFromParams, filtersToParams, hasFilters, toQuery, type Filters } from './filters';
import { LibraryLayout } from './LibraryLayout';
import { useClipSearch, type SearchState } from './use-clip-search';

/**
 * Finding a clip for a claim: a search box that answers as you type (any fragment of an order or
 * waybill number), filters, and the clips newest first. The search lives in the address
 * (#/library?q=…), so a reload or the Back link from a clip page returns to the same results.
 */
export function LibraryScreen({ params }: { params: URLSearchParams }) {
  const { t } = useTranslation();
  // The fields follow the address when it changes from outside (typed in the address bar, Back);
  // the address follows the fields as the agent types.
  const [filters, setFilters] = useState<Filters>(() => filtersFromParams(params));
  const written = useRef(params.toString());
  const searchBox = useRef<HTMLInputElement>(null);
  // A hub has no claims: the photos are checked on the station that recorded the clip.
  const hub = useSession((s) => s.session?.hub === true);

  useEffect(() => {
    const p = params.toString();
    if (p === written.current) return;
    written.current = p;
    setFilters(filtersFromParams(params));
  }, [params]);

  useEffect(() => {
    const p = filtersToParams(filters);
    written.current = p.toString();
    const hash = libraryHash(p);
    navigate(hash, { replace: true });
    rememberLibraryHash(hash);
  }, [filters]);

  useEffect(() => {
    searchBox.current?.focus();
  }, []);

  const query = useMemo(() => toQuery(filters), [filters]);
  const { state, loadMore, retry } = useClipSearch(query);

  // Stations seen in results, offered in the station field.
  const [stations, setStations] = useState<string[]>([]);
  useEffect(() => {
    setStations((prev) => {
      const next = new Set(prev);
      for (const c of state.items) next.add(c.station);
      return next.size === prev.length ? prev : [...next].sort();
    });
  }, [state.items]);

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const filtered = hasFilters(filters);
  // What the shown results answer (the text may be ahead of them while a search runs).
  const answered = state.key ? ((JSON.parse(state.key) as { q?: string }).q ?? '') : '';
  const stale = state.status === 'loading';

  return (
    <LibraryLayout unauthorized={state.error?.kind === 'unauthorized'}>
      <main className="library-search" data-testid="library">
        <form className="search-panel" role="search" onSubmit={(e) => e.preventDefault()}>
          <label className="search-panel__label" htmlFor="clip-search">
            {t('library.searchLabel')}
          </label>
          <div className="search-panel__box">
            <input
              id="clip-search"
              ref={searchBox}
              type="search"
              className="search-box"
              data-testid="clip-search"
              value={filters.q}
              maxLength={128}
              placeholder={t('library.searchPlaceholder')}
              autoComplete="off"
              spellCheck={false}
              enterKeyHint="search"
              onChange={(e) => set('q', e.target.value)}
            />
            {stale && (
              <span className="search-panel__busy" role="status" data-testid="search-busy">
                {t('library.searching')}
              </span>
            )}
          </div>
          <p className="search-panel__hint">{t('library.hint')}</p>

          <fieldset className="filters">
            <legend className="visually-hidden">{t('library.filters')}</legend>
            <label className="filter">
              <span className="filter__label">{t('library.from')}</span>
              <input type="date" className="field-input" data-testid="filter-from" value={filters.from} max={filters.to || undefined} onChange={(e) => set('from', e.target.value)} />
            </label>
            <label className="filter">
              <span className="filter__label">{t('library.to')}</span>
              <input type="date" className="field-input" data-testid="filter-to" value={filters.to} min={filters.from || undefined} onChange={(e) => set('to', e.target.value)} />
            </label>
            <label className="filter">
              <span className="filter__label">{t('library.mode')}</span>
              <select className="field-input" data-testid="filter-mode" value={filters.mode} onChange={(e) => set('mode', e.target.value as Filters['mode'])}>
                <option value="">{t('library.any')}</option>
                {ClipMode.options.map((m) => (
                  <option key={m} value={m}>
                    {t(`mode.${m}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="filter">
              <span className="filter__label">{t('stats.station')}</span>
              <input
                type="text"
                className="field-input"
                data-testid="filter-station"
                list="library-stations"
                value={filters.station}
                maxLength={64}
                placeholder={t('library.any')}
                onChange={(e) => set('station', e.target.value)}
              />
              <datalist id="library-stations">
                {stations.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </label>
            <label className="filter">
              <span className="filter__label">{t('order.packer')}</span>
              <input
                type="text"
                className="field-input"
                data-testid="filter-packer"
                value={filters.packer}
                maxLength={64}
                placeholder={t('library.any')}
                onChange={(e) => set('packer', e.target.value)}
              />
            </label>
            <label className="filter">
              <span className="filter__label">{t('library.status')}</span>
              <select className="field-input" data-testid="filter-status" value={filters.status} onChange={(e) => set('status', e.target.value as Filters['status'])}>
                <option value="">{t('library.any')}</option>
                {ClipStatus.options.map((s) => (
                  <option key={s} value={s}>
                    {t(`clipStatus.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="filter filter--check">
              <input type="checkbox" data-testid="filter-protected" checked={filters.protectedOnly} onChange={(e) => set('protectedOnly', e.target.checked)} />
              <span>{t('library.protectedOnly')}</span>
            </label>
            {filtered && (
              <button type="button" className="button button--quiet" data-testid="clear-filters" onClick={() => setFilters((f) => ({ ...EMPTY_FILTERS, q: f.q }))}>
                {t('library.clearFilters')}
              </button>
            )}
          </fieldset>
        </form>

        {!hub && <PhotoDropZone />}

        <section className="results" aria-live="polite" aria-busy={stale} data-testid="clip-results" data-status={state.status} data-query={answered}>
          <Results
            state={state}
            answered={answered}
            filtered={filtered}
            onRetry={retry}
            onLoadMore={loadMore}
            onClearFilters={() => setFilters((f) => ({ ...EMPTY_FILTERS, q: f.q }))}
          />
        </section>
      </main>
    </LibraryLayout>
  );
}

function Results({
  state,
  answered,
  filtered,
  onRetry,
  onLoadMore,
  onClearFilters,
}: {
  state: SearchState;
  answered: string;
  filtered: boolean;
  onRetry: () => void;
  onLoadMore: () => void;
  onClearFilters: () => void;
}) {
  const { t } = useTranslation();

  if (state.status === 'idle') {
    return (
      <div className="empty-state" data-testid="empty-before-search">
        <h2 className="empty-state__title">{t('library.emptyTitle')}</h2>
        <p>{t('library.emptyBody')}</p>
        <ul className="empty-state__examples">
          <li>{t('library.exampleWaybill')}</li>
          <li>{t('library.exampleOrder')}</li>
          <li>{t('library.exampleDate')}</li>
        </ul>
      </div>
    );
  }

  if (state.status === 'error' && state.error) {
    return (
      <div className="empty-state empty-state--error" role="alert" data-testid="search-error">
        <h2 className="empty-state__title">{t('library.errorTitle')}</h2>
        <p>{state.error.kind === 'unreachable' ? t('library.errorUnreachable') : t('library.errorDetail', { message: state.error.message })}</p>
        <button type="button" className="button" onClick={onRetry}>
          {t('library.retry')}
        </button>
      </div>
    );
  }

  if (state.items.length === 0) {
    if (state.status === 'loading') {
      return (
        <p className="results__loading" data-testid="results-loading">
          {t('library.searching')}
        </p>
      );
    }
    const q = answered.trim();
    return (
      <div className="empty-state" data-testid="no-match">
        <h2 className="empty-state__title">{q ? t('library.noMatchTitle', { q }) : t('library.noMatchFiltersTitle')}</h2>
        <p>{q ? t('library.noMatchBody') : t('library.noMatchFiltersBody')}</p>
        {filtered && (
          <button type="button" className="button" onClick={onClearFilters}>
            {t('library.clearFilters')}
          </button>
        )}
      </div>
    );
  }

  return (
    <>
      <p className="results__count" data-testid="results-count">
        {state.nextCursor ? t('library.countMore', { count: state.items.length }) : t('library.count', { count: state.items.length })}
      </p>
      <ol className="results__list" data-stale={String(state.status === 'loading')}>
        {state.items.map((c) => (
          <ClipRow key={c.id} clip={c} query={answered} />
        ))}
      </ol>
      <div className="results__more">
        {state.nextCursor ? (
          <button type="button" className="button" data-testid="load-more" disabled={state.loadingMore || state.status !== 'ready'} onClick={onLoadMore}>
            {state.loadingMore ? t('library.loadingMore') : t('library.loadMore')}
          </button>
        ) : (
          <span className="results__end">{t('library.end')}</span>
        )}
        {state.moreError && (
          <span className="results__more-error" role="alert">
            {t('library.errorDetail', { message: state.moreError.message })}
          </span>
        )}
      </div>
    </>
  );
}
