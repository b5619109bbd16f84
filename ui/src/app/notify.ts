import { notifications } from "@mantine/notifications";
import { type BackendError, type Code, toBackendError } from "../ipc";

const TITLES: Partial<Record<Code, string>> = {
  offline: "Offline",
  session_expired: "Session expired",
  not_signed_in: "Not signed in",
  keychain_unavailable: "Keychain unavailable",
  internal: "Something went wrong",
};

/** A toast carrying the server's message. Errors stay until dismissed: they usually need action. */
export function notifyError(error: BackendError | unknown, title?: string): string {
  const e = toBackendError(error);
  return notifications.show({
    color: "red",
    title: title ?? TITLES[e.code] ?? "The request failed",
    message: e.message,
    autoClose: false,
    "data-error-code": e.code,
  });
}

/** A short confirmation that closes by itself. */
export function notifySuccess(message: string, title?: string): string {
  return notifications.show({ color: "green", title, message, autoClose: 4000 });
}
