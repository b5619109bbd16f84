import { useBackendQuery } from "../ipc/queries";

/** The app's name and version: they never change while it runs. */
export function useAppInfo() {
  return useBackendQuery("appInfo", [], { staleTime: Number.POSITIVE_INFINITY });
}

/**
 * Who the app acts as, in which environment, and whether the server answers. Until the server
 * has answered, the stored profile's view stands in (`isPlaceholderData`), so the window shows
 * the cached lists at once instead of waiting for the keychain and `/whoami`.
 */
export function useSession() {
  const stored = useBackendQuery("sessionStored", []);
  return useBackendQuery("sessionStatus", [], { placeholderData: stored.data });
}
