import { getFetchClient, isFetchError } from '@strapi/strapi/admin';
import type { ListViewConfigResponse } from '../../../../shared/contracts/list-view';

/**
 * Whether the Content Manager's list views show the "Views (30 d)" column, and for which
 * content types: the plugin's `list-view/config` route (which the server guards with the `read`
 * permission), kept here for the admin session. The column is added by a synchronous list-view
 * hook, so this answer must be known before a list view draws its headers (see
 * list-view-rbac-middleware.ts); until it is, there is no column.
 */
export type ListViewAccess = ListViewConfigResponse['data'];

const DENIED: ListViewAccess = { enabled: false, contentTypes: [] };
// After this, the next list view refreshes the answer (settings may change on another tab).
const MAX_AGE_MS = 30_000;

let known: { user: string; access: ListViewAccess; at: number } | null = null;
let loading: { user: string; promise: Promise<void> } | null = null;

/** The answer for this admin user, or null while it is not known. */
export function listViewAccess(user: string): ListViewAccess | null {
  return known?.user === user ? known.access : null;
}

/** The answer for the admin user signed in now (the last one seen), or null. */
export function currentListViewAccess(): ListViewAccess | null {
  return known?.access ?? null;
}

// Another admin signed in on this tab: the previous one's answer no longer applies.
const forOtherUser = (user: string) => {
  if (known && known.user !== user) known = null;
};

/** A role without `read` sees no column; no request is needed to know it. */
export function denyListViewAccess(user: string): void {
  known = { user, access: DENIED, at: Date.now() };
}

/** Loads the answer unless a fresh one is known (or already on its way); resolves when known. */
export function loadListViewAccess(user: string): Promise<void> {
  forOtherUser(user);
  if (known?.user === user && Date.now() - known.at < MAX_AGE_MS) return Promise.resolve();
  if (loading?.user === user) return loading.promise;
  const promise = getFetchClient()
    .get<ListViewConfigResponse>('/usage-analytics/list-view/config')
    .then(
      (res) => {
        known = { user, access: res.data.data, at: Date.now() };
      },
      (error: unknown) => {
        // 401/403: not allowed. Anything else: unknown, asked again at the next list view.
        const status = isFetchError(error) ? error.status : undefined;
        if (status === 401 || status === 403) denyListViewAccess(user);
      }
    )
    .finally(() => {
      if (loading?.promise === promise) loading = null;
    });
  loading = { user, promise };
  return promise;
}

/** After the settings page saves: the next list view asks again. */
export function forgetListViewAccess(): void {
  known = null;
}
