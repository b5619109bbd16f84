import {
  type QueryKey,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { type BackendError, type CommandArgs, type CommandData, type CommandName, callBackend } from ".";
import { useBackend } from "./BackendContext";

/** Options every query and mutation understands (TanStack's `meta`). */
export type BackendMeta = {
  /** Show the error as a toast. Default: true for mutations, false for queries (they show it in place). */
  errorToast?: boolean;
};

declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: BackendMeta;
    mutationMeta: BackendMeta;
  }
}

/**
 * The query key of a command's result: `[command, ...args]`. Invalidate every page of a command
 * with `queryClient.invalidateQueries({ queryKey: [command] })`.
 */
export function commandKey<K extends CommandName>(command: K, args: CommandArgs<K>): QueryKey {
  return [command, ...args];
}

export type BackendQueryOptions<K extends CommandName, TData> = Omit<
  UseQueryOptions<CommandData<K>, BackendError, TData>,
  "queryKey" | "queryFn"
>;

/** `useQuery` over one backend command: `useBackendQuery("userGet", [userId])`. */
export function useBackendQuery<K extends CommandName, TData = CommandData<K>>(
  command: K,
  args: CommandArgs<K>,
  options?: BackendQueryOptions<K, TData>,
): UseQueryResult<TData, BackendError> {
  const backend = useBackend();
  return useQuery({
    queryKey: commandKey(command, args),
    queryFn: () => callBackend(backend, command, args),
    ...options,
  });
}

export type BackendMutationOptions<K extends CommandName> = Omit<
  UseMutationOptions<CommandData<K>, BackendError, CommandArgs<K>>,
  "mutationFn"
> & {
  /** Commands whose cached results this mutation makes stale (refetched after success). */
  invalidates?: CommandName[];
};

/**
 * `useMutation` over one backend command: `const create = useBackendMutation("serviceUserCreate",
 * { invalidates: ["usersPage", "usersCount"] }); create.mutate([input])`. Errors show as a toast with the
 * server's message unless `meta: { errorToast: false }`.
 */
export function useBackendMutation<K extends CommandName>(
  command: K,
  { invalidates = [], onSuccess, ...options }: BackendMutationOptions<K> = {},
): UseMutationResult<CommandData<K>, BackendError, CommandArgs<K>> {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [command],
    mutationFn: (args: CommandArgs<K>) => callBackend(backend, command, args),
    onSuccess: async (...params) => {
      await Promise.all(invalidates.map((c) => queryClient.invalidateQueries({ queryKey: [c] })));
      await onSuccess?.(...params);
    },
    ...options,
  });
}
