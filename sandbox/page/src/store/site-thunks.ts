import { send } from '../api/request';
import { currentSession, saveUser } from '../api/session';
import type { Capacity, SiteConfigBasic } from '../api/types';
import { setCapacity } from './global-state-slice';
import { setBasic, setExplorer, type ExplorerConfig } from './site-config-slice';
import type { AppDispatch } from './store';

/** GET /site/config/basic, made on every load by the real app; keeps the session's user fresh. */
export function loadBasicConfig() {
  return async (dispatch: AppDispatch): Promise<void> => {
    const config = await send<SiteConfigBasic>('GET', '/site/config/basic');
    dispatch(setBasic(config));
    if (config.user && !config.user.anonymous && currentSession()) saveUser(config.user);
  };
}

/** The explorer config and (signed in: an anonymous visitor of a share has none) the capacity, fetched when the file manager opens. */
export function loadExplorerData() {
  return async (dispatch: AppDispatch): Promise<void> => {
    const signedIn = !!currentSession();
    const [explorer, capacity] = await Promise.all([
      send<ExplorerConfig>('GET', '/site/config/explorer'),
      signedIn ? send<Capacity>('GET', '/user/capacity') : undefined,
    ]);
    dispatch(setExplorer(explorer));
    if (capacity) dispatch(setCapacity(capacity));
  };
}
