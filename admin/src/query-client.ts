import { QueryClient } from '@tanstack/react-query';

/**
 * The react-query cache of the panel the plugin adds to the Content Manager, which renders outside
 * the plugin's pages: one for the whole admin session, so reopening an entry within `staleTime`
 * answers from memory.
 */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } },
});
