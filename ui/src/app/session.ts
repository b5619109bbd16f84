import { useBackendQuery } from "../ipc/queries";

/** The app's name and version: they never change while it runs. */
export function useAppInfo() {
  return useBackendQuery("appInfo", [], { staleTime: Number.POSITIVE_INFINITY });
}

/** Who the app acts as, in which environment, and whether the server answers. */
export function useSession() {
  return useBackendQuery("sessionStatus", []);
}
