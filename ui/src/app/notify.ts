import { notifications } from "@mantine/notifications";
import { type BackendError, type Code, toBackendError } from "../ipc";

/** At most this many toasts on screen; more wait their turn. */
export const TOAST_LIMIT = 3;

/**
 * The room (px) a panel open at the window's right edge takes, such as the detail drawer: set on
 * the root element while it is open, so toasts (bottom left) stay clear of its buttons.
 */
export const RIGHT_PANEL_VAR = "--right-panel-space";

/** Toasts sit bottom left, right of the navigation, and end before a right panel. */
export const TOAST_LEFT = "calc(var(--app-shell-navbar-offset, 0px) + var(--mantine-spacing-md))";
export const TOAST_WIDTH = `min(400px, calc(100vw - var(--app-shell-navbar-offset, 0px) - var(${RIGHT_PANEL_VAR}, 0px) - 2 * var(--mantine-spacing-md)))`;

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
