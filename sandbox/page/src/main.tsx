import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { App } from './App';
import { store } from './store/store';

// The Provider is the root element, so a depth-first walk from #root's
// __reactContainer$ fiber reaches memoizedProps.store in a couple of steps,
// as on the real app (docs/cloudreve-web-ui.md#saved-snapshots).
createRoot(document.getElementById('root')!).render(
  <Provider store={store}>
    <App />
  </Provider>,
);
document.getElementById('app-loader')?.classList.add('hidden');
