/**
 * What Start will make, for the browse page's selection: the worker lists the
 * selected WebDAV paths (lib/service/previews.ts), and the page shows the
 * Cloudreve dialog's preview panel (lib/page/PreviewPanel.tsx) with the checks
 * of the in-browser route. Mounted with a key per selection: a new selection
 * starts a new preview, and the old one, still listing, is cancelled.
 */
import { useEffect } from 'preact/hooks';
import { blocksStart, preflight } from '@/lib/jobs/preflight';
import { estimateMs } from '@/lib/jobs/speed-history';
import { sendMessage } from '@/lib/messaging/protocol';
import { PreviewPanel } from '@/lib/page/PreviewPanel';
import { usePreflightFacts, usePreview } from '@/lib/page/use-preview';

/** What the archive form needs from the preview: the listing to hand to Start, and whether a check fails. */
export interface PreviewOutcome {
  previewId?: string;
  blocked: boolean;
}

export function SelectionPreview(props: {
  serverId: string;
  sources: string[];
  folder: string;
  onOutcome(outcome: PreviewOutcome): void;
}) {
  const preview = usePreview(sendMessage, props.sources, props.serverId);
  const facts = usePreflightFacts(sendMessage, props.folder, props.serverId);
  const done =
    preview.state.kind === 'status' && preview.state.status.state === 'done' ? preview.state.status : undefined;
  // The browse page always builds in the browser (WebDAV has no archive task).
  const range = done?.sizes?.auto;
  const checks =
    done && range && facts ? preflight({ archive: range, sourceBytes: done.bytes, facts, inBrowser: true }) : [];
  const blocked = blocksStart(checks);
  useEffect(() => props.onOutcome({ previewId: preview.readyId, blocked }), [preview.readyId, blocked]);
  return (
    <div data-testid="browse-preview">
      <PreviewPanel
        state={preview.state}
        range={range}
        estimates={
          done && facts
            ? { browser: estimateMs(done.bytes, facts.speeds.browser), showServer: false, showBrowser: true }
            : undefined
        }
        checks={checks}
        onCancel={() => void preview.cancel()}
      />
    </div>
  );
}
