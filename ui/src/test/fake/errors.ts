// The errors the fake answers with: the real codes, with messages like the server's
// (crates/model ErrorCode) and the app core's (crates/client/src/error.rs).
import { BackendError, type IpcError } from "../../ipc";

/** Each code's usual message; `failWith(command, code)` and `refuse(code)` default to it. */
export const DEFAULT_MESSAGES: Record<string, string> = {
  offline:
    "cannot reach the server at https://demo.example.test: connection refused; you are offline or the server is down",
  session_expired: "the session of profile 'demo' has expired; sign in again with `login`",
  not_signed_in: "profile 'demo' is not signed in; run `login` first",
  no_profile: "no profile selected; add one with `profile add` or pass --profile",
  keychain_unavailable:
    "the OS keychain is not available (locked); secrets are never stored elsewhere, so unlock or start the keychain and retry",
  not_cached:
    "service users are not in the local cache and the server cannot be reached; sync while online first",
  INVALID_REQUEST:
    "The request is malformed; check the JSON body and parameters against the API description.",
  INVALID_EXPIRY:
    "The expiry is out of range: ExpiryInMinutes must be an integer from 1 to 180, and an access token's ExpiresAt must be in the future and at most 365 days ahead.",
  CANNOT_SHARE_WITH_SERVICE_USER:
    "A service user cannot be shared with another service user; share it with regular users or tags.",
  TRANSFER_USER_REQUIRED:
    "Choose a transfer user (transfer_user_id) to receive the service user's resources.",
  INVALID_TRANSFER_USER: "The transfer user must be an existing, enabled regular user.",
  NOT_A_SERVICE_USER: "This operation applies to service users only.",
  UNAUTHENTICATED: "Sign in: the credentials are missing or not valid.",
  PRINCIPAL_DISABLED: "The user is disabled; ask an owner to enable it.",
  FORBIDDEN: "Your active role does not allow this.",
  SUPER_ADMIN_REQUIRED: "Switch to a super-admin role to do this.",
  NO_ACCESS_TO_SERVICE_USER:
    "You do not have access to this service user; ask one of its owners to share it with you.",
  NO_ACCESS_TO_ROLE: "You can only attach or detach roles that are attached to you.",
  ROLE_NOT_ATTACHED: "That role is not attached to the user; pick one of its attached roles.",
  SERVICE_USER_NOT_ALLOWED: "Service users cannot do this; switch back to your own identity.",
  NOT_FOUND: "Not found.",
  MUST_DISABLE_FIRST: "Disable the service user before deleting it.",
  SERVICE_USER_DISABLED: "The service user is disabled; enable it first.",
  ALREADY_EXISTS: "A user with this id (ignoring case) already exists; pick another id.",
  LAST_OWNER: "This is the last share of the service user; add another owner first.",
  DEFAULT_ROLE_REQUIRED: "The default role cannot be detached.",
  INTERNAL: "The server failed; try again, and report it if it persists.",
};

/** Rejects the command with `code`; the message defaults to the code's usual one. */
export function refuse(code: string, message?: string): never {
  throw new BackendError({ code, message: message ?? DEFAULT_MESSAGES[code] ?? code });
}

/** Rejects the command with this error as it is. */
export function fail(error: IpcError): never {
  throw new BackendError(error);
}

/** The app core's `not_signed_in` problem for a profile. */
export const notSignedIn = (profile: string): IpcError => ({
  code: "not_signed_in",
  message: `profile '${profile}' is not signed in; run \`login\` first`,
});

/** The app core's `offline` problem for an environment's server. */
export const offline = (env: { baseUrl: string }): IpcError => ({
  code: "offline",
  message: `cannot reach the server at ${env.baseUrl}: connection refused; you are offline or the server is down`,
});

/** The app core's `unknown_profile` problem. */
export const unknownProfile = (name: string): IpcError => ({
  code: "unknown_profile",
  message: `no profile named '${name}'; see \`profile list\``,
});

/** The app core's `not_assumed` problem: no stored identity of this service user in the profile. */
export const notAssumed = (userId: string, profile: string): IpcError => ({
  code: "not_assumed",
  message: `service user '${userId}' is not assumed in profile '${profile}'; run \`assume ${userId} --role ROLE\``,
});
