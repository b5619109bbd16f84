import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isRetryable } from "../ipc";
import { notifyError } from "./notify";

export type QueryClientOptions = {
  /** Delay before a retry, in ms (tests pass 0); default: TanStack's exponential backoff. */
  retryDelay?: number;
};

/**
 * The app's TanStack Query client. The backend is a local process (which keeps its own cache), so:
 * no refetch storms when the window regains focus, data fresh for 30 s, at most 2 retries and only
 * for errors that may pass (`offline`), never for refusals such as `session_expired` or `NOT_FOUND`.
 * Mutation errors become toasts with the server's message; query errors show in place unless a
 * query sets `meta: { errorToast: true }`.
 */
export function createQueryClient({ retryDelay }: QueryClientOptions = {}): QueryClient {
  const retry = (failureCount: number, error: unknown) => failureCount < 2 && isRetryable(error);
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.meta?.errorToast) notifyError(error);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => {
        if (mutation.meta?.errorToast !== false) notifyError(error);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry,
        ...(retryDelay === undefined ? {} : { retryDelay }),
      },
      mutations: { retry: false },
    },
  });
}
