// Answers Tauri IPC from a FakeBackend: `invoke("service_users_list", { search })` calls
// `fake.serviceUsersList(search)`. The method is the command's camelCase name (as in the
// generated bindings) and its arguments are the payload's values in order (the bindings build
// the payload from the parameters, in order). Errors reach the UI as the app core's `{code, message}`.
import { mockIPC } from "@tauri-apps/api/mocks";
import { type Backend, BackendError, type CommandName, commandNames } from "../ipc";

export function commandForIpc(cmd: string): CommandName | undefined {
  const camel = cmd.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return (commandNames as string[]).includes(camel) ? (camel as CommandName) : undefined;
}

export async function answerIpc(backend: Backend, cmd: string, payload: unknown): Promise<unknown> {
  const command = commandForIpc(cmd);
  if (!command) throw { code: "internal", message: `the IPC mock has no command ${cmd}` };
  const args = payload && typeof payload === "object" ? Object.values(payload) : [];
  try {
    return await (backend[command] as (...a: unknown[]) => Promise<unknown>)(...args);
  } catch (e) {
    // What Rust's IpcError serialises to; the generated bindings turn it into `{status: "error"}`.
    if (e instanceof BackendError) throw { code: e.code, message: e.message };
    throw e;
  }
}

/** Installs `window.__TAURI_INTERNALS__` answering every generated command from `backend`. */
export function installIpcMock(backend: Backend): void {
  // shouldMockEvents: `listen`/`emit` work in tests and the mock build (the app listens for
  // "identities-changed").
  mockIPC((cmd, payload) => answerIpc(backend, cmd, payload), { shouldMockEvents: true });
}
