/**
 * Access to storage providers' origins for in-browser uploads (an S3 bucket, OneDrive, …).
 * The extension holds none up front and never asks for broad access: a job that reaches a
 * storage origin without it pauses (lib/cloudreve/upload-provider.ts) until the user clicks
 * "Allow" in the popup or the options page, which requests exactly `${origin}/*`
 * (`permissions.request` needs that click, MDN "permissions.request"). The grant reaches
 * the worker as `permissions.onAdded`.
 */
import { browser } from '#imports';
import type { StorageAccess } from '../cloudreve/upload-provider';
import { hasHostPermission } from './page-scripts';

export function createStorageAccess(): StorageAccess {
  return {
    has: (origin) => hasHostPermission(new URL(origin).origin),
    whenGranted(origin, signal) {
      return new Promise<void>((resolve, reject) => {
        const check = () =>
          void hasHostPermission(new URL(origin).origin).then((granted) => {
            if (granted) finish();
          });
        const finish = (error?: unknown) => {
          browser.permissions.onAdded.removeListener(check);
          signal.removeEventListener('abort', aborted);
          if (error === undefined) resolve();
          else reject(error);
        };
        const aborted = () => finish(signal.reason);
        if (signal.aborted) return aborted();
        signal.addEventListener('abort', aborted);
        browser.permissions.onAdded.addListener(check);
        // Granted between the caller's check and this listener: go on at once.
        check();
      });
    },
  };
}
