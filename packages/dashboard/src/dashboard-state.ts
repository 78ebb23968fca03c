import type { RequestEvent } from '@countersign/core/protocol';
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from './api/api-client';
import { openEventStream, type StreamStatus } from './api/event-stream';
import type { Me } from './api/parse-response';
import { type RequestCollection, upsertRequests } from './lib/request-collection';

/** Everything the pages share: who is signed in, the requests seen so far, the live connection. */
export interface DashboardState {
  api: ApiClient;
  me: Me;
  requests: RequestCollection;
  /** Events seen live, per request id, oldest first. */
  events: ReadonlyMap<string, readonly RequestEvent[]>;
  stream: StreamStatus;
  /** The cursor of the next history page, or null when all is loaded. */
  historyCursor: string | null | undefined;
  loadMoreHistory: () => Promise<void>;
  /** Merges requests fetched by a page (a decision's answer, a reload). */
  remember: (...requests: Parameters<typeof upsertRequests>[1]) => void;
  /** A message for the screen-reader live region. */
  announcement: string;
  signOut: () => void;
}

export const DashboardContext = createContext<DashboardState | undefined>(undefined);

/** The shared dashboard state; only inside a signed-in app. */
export function useDashboard(): DashboardState {
  const state = useContext(DashboardContext);
  if (!state) throw new Error('useDashboard needs a DashboardContext provider');
  return state;
}

const MAX_PENDING_PAGES = 20;

/** Builds the shared state: loads pending requests, follows `/v1/events`, reloads after reconnecting. */
export function useDashboardState(api: ApiClient, me: Me, signOut: () => void): DashboardState {
  const [requests, setRequests] = useState<RequestCollection>(new Map());
  const [events, setEvents] = useState<ReadonlyMap<string, readonly RequestEvent[]>>(new Map());
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const [historyCursor, setHistoryCursor] = useState<string | null | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const [reloads, setReloads] = useState(0);

  const remember = (...incoming: Parameters<typeof upsertRequests>[1]) =>
    setRequests((current) => upsertRequests(current, incoming));

  // Load (and after every reconnect, reload) the pending inbox, all pages.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PENDING_PAGES && !cancelled; page++) {
        const list = await api.listRequests({ status: 'pending', limit: 100, cursor });
        if (cancelled) return;
        setRequests((current) => upsertRequests(current, list.items));
        if (!list.nextCursor) break;
        cursor = list.nextCursor;
      }
    })().catch(() => setStream('reconnecting'));
    return () => {
      cancelled = true;
    };
  }, [api, reloads]);

  useEffect(() => {
    const controller = new AbortController();
    let wasLive = false;
    void openEventStream({
      api,
      path: '/v1/events',
      signal: controller.signal,
      onStatus: (status) => {
        setStream(status);
        if (status === 'signed-out') signOut();
        if (status === 'live' && wasLive) setReloads((count) => count + 1);
        if (status === 'live') wasLive = true;
      },
      onEvent: (event) => {
        setRequests((current) => upsertRequests(current, [event.request]));
        setEvents((current) => {
          const list = current.get(event.requestId) ?? [];
          if (list.some((seen) => seen.id === event.id)) return current;
          return new Map(current).set(event.requestId, [...list, event]);
        });
        if (event.type === 'created') setAnnouncement(`New request: ${event.request.action}`);
      },
    });
    return () => controller.abort();
  }, [api, signOut]);

  const loadMoreHistory = async () => {
    if (historyCursor === null) return;
    const list = await api.listRequests({ limit: 50, cursor: historyCursor });
    remember(...list.items);
    setHistoryCursor(list.nextCursor);
  };

  return useMemo(
    () => ({
      api,
      me,
      requests,
      events,
      stream,
      historyCursor,
      loadMoreHistory,
      remember,
      announcement,
      signOut,
    }),
    [api, me, requests, events, stream, historyCursor, announcement, signOut],
  );
}
