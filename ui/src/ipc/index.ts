import {
  type AppInfo,
  commands,
  type EnvironmentView,
  type IpcError,
  type SessionView,
  type UserRow,
  type UsersPage,
} from "../gen/bindings";

export type { AppInfo, EnvironmentView, IpcError, SessionView, UserRow, UsersPage };

/** A command's error, with the stable code the UI branches on. */
export class BackendError extends Error {
  readonly code: string;
  constructor(error: IpcError) {
    super(error.message);
    this.code = error.code;
  }
}

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

async function unwrap<T>(result: Promise<CommandResult<T>>): Promise<T> {
  const r = await result;
  if (r.status === "error") throw new BackendError(r.error);
  return r.data;
}

/** The backend the UI talks to: the real Tauri IPC in the app, a fake in component tests. */
export interface Backend {
  appInfo(): Promise<AppInfo>;
  sessionStatus(): Promise<SessionView>;
  serviceUsersList(search: string | null): Promise<UsersPage>;
}

export const tauriBackend: Backend = {
  appInfo: () => commands.appInfo(),
  sessionStatus: () => unwrap(commands.sessionStatus()),
  serviceUsersList: (search) => unwrap(commands.serviceUsersList(search)),
};
