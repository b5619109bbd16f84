import type { BackendError, Code } from "../../ipc";

const TITLES: Partial<Record<Code, string>> = {
  UNAUTHENTICATED: "Sign-in refused",
  offline: "Offline",
  keychain_unavailable: "Keychain unavailable",
  invalid_input: "Invalid input",
  profile_exists: "The environment exists",
  unknown_profile: "Unknown environment",
  session_expired: "Session ended",
  not_signed_in: "Not signed in",
  server_error: "The server failed",
  config_error: "Configuration error",
};

/** A heading for an error shown in place; the body is always the server's own message. */
export function errorTitle(error: Pick<BackendError, "code">, fallback = "The request failed"): string {
  return TITLES[error.code] ?? fallback;
}
