/**
 * The active tab, when it shows a connected Cloudreve server: only then can
 * "Archive selection" reach a page dialog. The tab's URL is visible to us
 * exactly for origins we hold host access to, i.e. connected servers.
 */
import { browser } from '#imports';
import { useEffect, useState } from 'preact/hooks';
import type { ServerView } from '@/lib/servers/types';

export function useActiveServer(servers: ServerView[]): { tabId: number; server: ServerView } | undefined {
  const [tab, setTab] = useState<{ id: number; origin: string }>();
  useEffect(() => {
    browser.tabs
      .query({ active: true, currentWindow: true })
      .then(([active]) => {
        if (active?.id === undefined || !active.url) return;
        setTab({ id: active.id, origin: new URL(active.url).origin });
      })
      .catch(() => undefined);
  }, []);
  const server =
    tab && servers.find((s) => s.kind === 'cloudreve' && s.origin === tab.origin && s.authState !== 'sign-in-required');
  return tab && server ? { tabId: tab.id, server } : undefined;
}
