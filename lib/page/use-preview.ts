/**
 * The dialog's preview of the selection: started in the worker when the
 * dialog opens, polled for its counts while it lists, cancellable; the
 * destination facts follow the chosen folder.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { sendMessage } from '../messaging/protocol';
import type { CompressionChoice } from '../jobs/types';
import type { PartsPreview, PreflightFacts, PreviewStatus } from '../messaging/payloads';

/** How often the counts are asked for while the worker lists. */
const POLL_MS = 400;

export type Ask = typeof sendMessage;

export type PreviewState =
  { kind: 'starting' } | { kind: 'status'; status: PreviewStatus } | { kind: 'failed'; error: unknown };

/** `serverId` names the browse page's WebDAV server; the Cloudreve page's origin names its own. */
export function usePreview(ask: Ask, uris: string[], serverId?: string) {
  const [state, setState] = useState<PreviewState>({ kind: 'starting' });
  const previewId = useRef<string>();
  const listing = useRef(true);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const status = await ask('previewStatus', previewId.current!);
        if (!live) return;
        setState({ kind: 'status', status });
        listing.current = status.state === 'listing';
        if (status.state === 'listing') timer = setTimeout(() => void poll(), POLL_MS);
      } catch (error) {
        if (live) setState({ kind: 'failed', error });
      }
    };
    ask('startPreview', uris, serverId).then(
      ({ previewId: id }) => {
        previewId.current = id;
        if (live) void poll();
      },
      (error: unknown) => live && setState({ kind: 'failed', error }),
    );
    return () => {
      live = false;
      clearTimeout(timer);
      // A preview still listing when the dialog closes stops; a finished one is kept for Start.
      if (listing.current && previewId.current) void ask('cancelPreview', previewId.current).catch(() => undefined);
    };
    // Once per dialog: the selection does not change while it is open.
  }, []);

  return {
    state,
    /** The id to hand to Start, once the preview is complete. */
    readyId: state.kind === 'status' && state.status.state === 'done' ? state.status.previewId : undefined,
    async cancel() {
      if (previewId.current) await ask('cancelPreview', previewId.current).catch(() => undefined);
    },
  };
}

/** Facts for the checks before Start, asked again whenever the destination folder changes. */
export function usePreflightFacts(ask: Ask, folderUri: string, serverId?: string): PreflightFacts | undefined {
  const [facts, setFacts] = useState<{ uri: string; facts: PreflightFacts }>();
  useEffect(() => {
    let live = true;
    ask('preflightFacts', folderUri, serverId).then(
      (answer) => live && setFacts({ uri: folderUri, facts: answer }),
      () => live && setFacts({ uri: folderUri, facts: { speeds: {} } }),
    );
    return () => {
      live = false;
    };
  }, [folderUri]);
  return facts?.uri === folderUri ? facts.facts : undefined;
}

/**
 * How a split archive of the finished preview would be cut, asked again when the part size or
 * the compression changes; undefined while unknown or when the archive is not split.
 */
export function usePartsPreview(
  ask: Ask,
  previewId: string | undefined,
  partBytes: number | undefined,
  compression: CompressionChoice,
): PartsPreview | undefined {
  const key = previewId && partBytes ? `${previewId}:${partBytes}:${compression.mode}:${compression.level}` : '';
  const [parts, setParts] = useState<{ key: string; parts: PartsPreview }>();
  useEffect(() => {
    if (!key || !previewId || !partBytes) return;
    let live = true;
    ask('previewParts', previewId, partBytes, compression).then(
      (answer) => live && setParts({ key, parts: answer }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [key]);
  return parts?.key === key && key ? parts.parts : undefined;
}
