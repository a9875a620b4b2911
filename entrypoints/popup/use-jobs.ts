/** Connects the `jobs` port and feeds the store; reconnects when the worker restarts. */
import { browser } from '#imports';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { PORTS, type JobsPortMessage } from '@/lib/messaging/jobs-port';
import { createJobsStore, type JobsState, type JobsStore } from './jobs-store';

export function useJobs(): [JobsState, JobsStore] {
  const store = useMemo(() => createJobsStore(), []);
  const [state, setState] = useState(store.get());
  useEffect(() => {
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let port: ReturnType<typeof browser.runtime.connect> | undefined;
    const connect = () => {
      port = browser.runtime.connect({ name: PORTS.jobs });
      port.onMessage.addListener((message) => store.apply(message as JobsPortMessage));
      port.onDisconnect.addListener(() => {
        if (!closed) retry = setTimeout(connect, 500);
      });
    };
    const unsubscribe = store.subscribe(setState);
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      unsubscribe();
      port?.disconnect();
    };
  }, [store]);
  return [state, store];
}
