import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

/**
 * The plugin's one react-query cache, for the whole admin session: its pages, homepage widgets,
 * Content Manager side panel and list view cells all read and fill it, so one request (the
 * widgets' week is the dashboard's "Last 7 days") is sent once and then answered from memory
 * within `staleTime`.
 */
const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } },
});

/**
 * Gives what it wraps the plugin's cache. Strapi renders the plugin's pages, homepage widgets,
 * side panel and list view cells as separate trees, so each of them is wrapped.
 */
export const PluginQueries = ({ children }: { children: ReactNode }) => (
  <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
);
