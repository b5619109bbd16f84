import { CONTRACT, type Code, commands, type IpcError } from "../gen/bindings";

// Every generated type (UserView, UsersQuery, SessionView, ...), so components import from here.
export type * from "../gen/bindings";

/** A command's error, with the stable code the UI branches on (`offline`, `NOT_FOUND`, ...). */
export class BackendError extends Error {
  readonly code: Code;
  constructor(error: IpcError) {
    super(error.message);
    this.name = "BackendError";
    this.code = error.code;
  }
}

const CODES: ReadonlySet<string> = new Set<string>([...CONTRACT.errorCodes, ...CONTRACT.clientCodes]);

/** Whether `value` is one of the generated codes (the server's or the client's). */
export function isCode(value: unknown): value is Code {
  return typeof value === "string" && CODES.has(value);
}

/** Any rejection as a BackendError: IPC `{code, message}` objects keep their code; anything else is `internal`. */
export function toBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (typeof e === "object" && e !== null) {
    const { code, message } = e as Partial<IpcError>;
    if (isCode(code) && typeof message === "string") return new BackendError({ code, message });
  }
  return new BackendError({ code: "internal", message: e instanceof Error ? e.message : String(e) });
}

/** Error codes worth retrying: the rest (server refusals, session_expired, ...) will not change by asking again. */
export const RETRYABLE_CODES: ReadonlySet<Code> = new Set<Code>(["offline"]);

export function isRetryable(error: unknown): boolean {
  return !(error instanceof BackendError) || RETRYABLE_CODES.has(error.code);
}

type Commands = typeof commands;

/** A generated command's name (`usersPage`); the IPC command is its snake_case form. */
export type CommandName = keyof Commands;

/** What a generated command resolves to once its `{status, data | error}` wrapper is removed. */
type Unwrapped<R> = R extends { status: "error"; error: unknown }
  ? never
  : R extends { status: "ok"; data: infer D }
    ? D
    : R;

/**
 * The backend the UI talks to: the real Tauri IPC in the app (`tauriBackend`), a `FakeBackend` in
 * tests. Derived from the generated bindings, one method per command with the same arguments,
 * resolving to the command's data and rejecting with a `BackendError`; so a new Rust command
 * appears here without any edit in this file.
 */
export type Backend = {
  [K in CommandName]: (
    ...args: Parameters<Commands[K]>
  ) => Promise<Unwrapped<Awaited<ReturnType<Commands[K]>>>>;
};

/** What `backend[command](...args)` resolves to. */
export type CommandData<K extends CommandName> = Awaited<ReturnType<Backend[K]>>;
export type CommandArgs<K extends CommandName> = Parameters<Backend[K]>;

/** Every command's name, in the bindings' order (the fake backend and the IPC mock use it). */
export const commandNames = Object.keys(commands) as CommandName[];

/** tauri-specta's `{status: "ok", data} | {status: "error", error}` wrapper (commands returning a Result). */
function isCommandResult(
  v: unknown,
): v is { status: "ok"; data: unknown } | { status: "error"; error: IpcError } {
  if (typeof v !== "object" || v === null || Object.keys(v).length !== 2) return false;
  const r = v as Record<string, unknown>;
  return (r.status === "ok" && "data" in r) || (r.status === "error" && "error" in r);
}

function viaIpc(command: CommandName) {
  const generated = commands[command] as (...args: unknown[]) => Promise<unknown>;
  return async (...args: unknown[]): Promise<unknown> => {
    let result: unknown;
    try {
      result = await generated(...args);
    } catch (e) {
      throw toBackendError(e);
    }
    if (!isCommandResult(result)) return result;
    if (result.status === "error") throw new BackendError(result.error);
    return result.data;
  };
}

/** The real backend: every generated command, unwrapped. */
export const tauriBackend = Object.fromEntries(commandNames.map((name) => [name, viaIpc(name)])) as Backend;

/** IPC calls recorded as User Timing measures: the first ones of a page, so memory stays bounded. */
const MAX_MEASURES = 500;
let measured = 0;

/** Calls `backend[command](...args)` with the types kept (for generic helpers such as the query hooks). */
export function callBackend<K extends CommandName>(
  backend: Backend,
  command: K,
  args: CommandArgs<K>,
): Promise<CommandData<K>> {
  const method = backend[command] as (...a: unknown[]) => Promise<CommandData<K>>;
  const start = performance.now();
  return method
    .apply(backend, args)
    .catch((e: unknown) => {
      throw toBackendError(e);
    })
    .finally(() => {
      // WebKit's inspector and the window benchmark (ui/tests/window/bench) read them.
      if (measured < MAX_MEASURES) {
        measured += 1;
        performance.measure(`ipc:${command}`, { start, end: performance.now() });
      }
    });
}
