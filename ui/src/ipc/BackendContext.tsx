import { createContext, type ReactNode, useContext } from "react";
import type { Backend } from ".";

const BackendContext = createContext<Backend | null>(null);

/** Gives components the backend: `tauriBackend` in the app (main.tsx), a `FakeBackend` in tests. */
export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

/** The backend from the nearest BackendProvider. Components never import `tauriBackend` themselves. */
export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error("useBackend() needs a <BackendProvider> (AppProviders) above it");
  return backend;
}
