import { useEffect } from 'react';
import { isViewer, useSession } from '../features/auth/session-store';
import { ClipPage } from '../features/library/ClipPage';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { applyDisplayDefaults } from '../features/settings/display-defaults';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { HealthScreen } from '../features/health/HealthScreen';
import { StationsScreen } from '../features/hub/StationsScreen';
import { UsersScreen } from '../features/hub/UsersScreen';
import { FirstAdminScreen } from '../features/auth/FirstAdminScreen';
import { StatsScreen } from '../features/stats/StatsScreen';
import { StationScreen } from '../features/station/StationScreen';
import { LIBRARY_HASH, navigate, USERS_HASH, useRoute } from './routing';

/**
 * The two views: the station screen (the default, what a bench PC shows) and the clip library
 * (search and clip pages, for customer service). Only the view on screen is mounted: the station's
 * scanner listener and live preview run only while the station screen is shown.
 */
export function App() {
  const route = useRoute();
  const session = useSession((s) => s.session);
  const loadSession = useSession((s) => s.load);
  useEffect(() => void loadSession(), [loadSession]);
  // A viewer (LAN password login) cannot scan or see the camera: the library is their whole app.
  // The warehouse hub serves the library alone, as to a viewer.
  const hub = session?.hub === true;
  const viewer = isViewer(session) || hub;
  // The station's saved language and sounds, for a browser that has not chosen its own.
  const signedIn = session?.role != null;
  useEffect(() => {
    if (signedIn) void applyDisplayDefaults();
  }, [signedIn]);
  // Settings are the operator's: a viewer who follows a #/settings link lands in the library.
  // The statistics are the operator's too; the hub's admin has them over all stations.
  const stationForViewer = viewer && (route.view === 'station' || route.view === 'settings' || (route.view === 'stats' && !hub));
  // A new hub opened from its bare READY link goes to its first admin's form; a deep link still opens its page.
  const firstAdmin = hub && session?.firstAdmin === true;
  useEffect(() => {
    if (stationForViewer) navigate(firstAdmin && route.view === 'station' ? USERS_HASH : LIBRARY_HASH, { replace: true });
  }, [stationForViewer, firstAdmin, route.view]);
  const view = route.view === 'station' && !viewer ? 'station' : 'library';

  // The library is an office screen with normal type; the station screen scales its type to the window.
  useEffect(() => {
    document.documentElement.dataset.view = view;
  }, [view]);

  // Each clip page and search starts at the top.
  const key = route.view === 'clip' ? `clip-${route.id}` : route.view;
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [key]);

  if (route.view === 'users' && hub) return firstAdmin ? <FirstAdminScreen /> : <UsersScreen />;
  if (route.view === 'clip') return <ClipPage key={route.id} id={route.id} />;
  if (route.view === 'library') return <LibraryScreen params={route.params} />;
  if (route.view === 'settings' && !viewer) return <SettingsScreen />;
  if (route.view === 'stats' && (!viewer || hub)) return <StatsScreen />;
  if (route.view === 'health') return <HealthScreen />;
  if (route.view === 'stations' && hub) return <StationsScreen />;
  if (stationForViewer) return null;
  return <StationScreen />;
}
