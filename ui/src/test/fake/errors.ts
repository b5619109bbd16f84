// The errors the fake answers with: the real codes, with messages like the server's
// (crates/model ErrorCode) and the app core's (crates/client/src/error.rs).
import { CONTRACT } from "../../gen/bindings";
import { BackendError, type Code, type IpcError } from "../../ipc";

/** Each code's usual message; `failWith(command, code)` and `refuse(code)` default to it. The
 * server's are the model's default messages (generated); the app core's are its usual wording. */
export const DEFAULT_MESSAGES: Partial<Record<Code, string>> = {
  offline:
    "cannot reach the server at https://demo.example.test: connection refused; you are offline or the server is down",
  session_expired:
    "the session of profile 'demo' has ended (it expired or was signed out on the server); sign in again",
  not_signed_in: "profile 'demo' is not signed in; run `login` first",
  no_profile: "no profile selected; add one with `profile add` or pass --profile",
  keychain_unavailable:
    "the OS keychain is not available (locked); secrets are never stored elsewhere, so unlock or start the keychain and retry",
  not_cached:
    "service users are not in the local cache and the server cannot be reached; sync while online first",
  ...CONTRACT.defaultMessages,
};

/** Rejects the command with `code`; the message defaults to the code's usual one. */
export function refuse(code: Code, message?: string): never {
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

/** The app core's `session_expired` problem: the profile's password session ended. */
export const sessionExpired = (profile: string): IpcError => ({
  code: "session_expired",
  message: `the session of profile '${profile}' has ended (it expired or was signed out on the server); sign in again`,
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

/** The app core's `role_bound_to_access_token`: a PAT sign-in cannot switch role. */
export const roleBound = (profile: string, role: string | null): IpcError => ({
  code: "role_bound_to_access_token",
  message: `profile '${profile}' signs in with a personal access token, which is bound to its role${role ? ` (${role})` : ""}; to use another role, sign in with a password (\`login --password\`) or with a token of that role`,
});
