// The IPC layer end to end in jsdom: tauriBackend -> generated bindings -> mocked
// __TAURI_INTERNALS__ -> a backend. Generic over every generated command, so new commands are
// covered without touching this file.
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, test } from "vitest";
import { commands } from "../gen/bindings";
import { FakeBackend } from "../test/fake";
import { commandForIpc, installIpcMock } from "../test/ipcMock";
import {
  type Backend,
  BackendError,
  commandNames,
  isRetryable,
  tauriBackend,
  toBackendError,
  type UsersQuery,
} from ".";

afterEach(() => clearMocks());

const ALL_SERVICE: UsersQuery = {
  kind: "service",
  search: null,
  status: null,
  role: null,
  tag: null,
  assumable: false,
  offset: 0,
  limit: 200,
};

describe("tauriBackend over the IPC mock", () => {
  test.each(commandNames)("%s passes its arguments in order and returns the command's data", async (name) => {
    const seen: unknown[][] = [];
    const recorder = Object.fromEntries(
      commandNames.map((n) => [
        n,
        async (...args: unknown[]) => {
          seen.push(args);
          return { from: n };
        },
      ]),
    ) as unknown as Backend;
    installIpcMock(recorder);
    const arity = (commands[name] as (...a: unknown[]) => unknown).length;
    const args = Array.from({ length: arity }, (_, i) => `arg${i}-of-${name}`);
    const call = tauriBackend[name] as (...a: unknown[]) => Promise<unknown>;
    await expect(call(...args)).resolves.toEqual({ from: name });
    expect(seen).toEqual([args]);
  });

  test.each(commandNames)("%s rejects with a BackendError carrying the code and message", async (name) => {
    installIpcMock(new FakeBackend().failWith("*", "session_expired", { message: "sign in again" }));
    const arity = (commands[name] as (...a: unknown[]) => unknown).length;
    const call = tauriBackend[name] as (...a: unknown[]) => Promise<unknown>;
    const error = await call(...Array(arity).fill(null)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: "session_expired", message: "sign in again" });
  });

  test("the fake's data reaches the UI as the real commands return it", async () => {
    installIpcMock(new FakeBackend());
    const page = await tauriBackend.usersPage({ ...ALL_SERVICE, search: "report" });
    expect(page.users.map((u) => u.userId)).toEqual(["report-bot"]);
    expect(await tauriBackend.appInfo()).toEqual({
      productName: "Amorphic Service Users Desktop",
      version: "0.1.0",
    });
  });

  test("IPC command names map to the bindings' method names", () => {
    expect(commandForIpc("users_page")).toBe("usersPage");
    expect(commandForIpc("service_user_access_token_revoke")).toBe("serviceUserAccessTokenRevoke");
    expect(commandForIpc("app_info")).toBe("appInfo");
    expect(commandForIpc("no_such_command")).toBeUndefined();
  });
});

describe("errors", () => {
  test("toBackendError keeps IPC codes and wraps anything else as internal", () => {
    expect(toBackendError({ code: "offline", message: "m" })).toMatchObject({
      code: "offline",
      message: "m",
    });
    expect(toBackendError(new Error("boom"))).toMatchObject({ code: "internal", message: "boom" });
    expect(toBackendError("text")).toMatchObject({ code: "internal", message: "text" });
  });

  test("only offline (and non-backend errors) are retryable", () => {
    expect(isRetryable(new BackendError({ code: "offline", message: "" }))).toBe(true);
    expect(isRetryable(new BackendError({ code: "session_expired", message: "" }))).toBe(false);
    expect(isRetryable(new BackendError({ code: "NOT_FOUND", message: "" }))).toBe(false);
    expect(isRetryable(new TypeError("x"))).toBe(true);
  });
});

describe("FakeBackend", () => {
  test("failWith(times) fails that many calls, then answers", async () => {
    const fake = new FakeBackend().failWith("appInfo", "offline", { times: 1 });
    await expect(fake.appInfo()).rejects.toMatchObject({ code: "offline" });
    await expect(fake.appInfo()).resolves.toMatchObject({ version: "0.1.0" });
    expect(fake.callsOf("appInfo")).toHaveLength(2);
  });

  test("answers are copies, like serialised IPC", async () => {
    const fake = new FakeBackend();
    const page = await fake.usersPage(ALL_SERVICE);
    page.users[0].displayName = "changed";
    expect((await fake.usersPage(ALL_SERVICE)).users[0].displayName).toBe("ETL bot");
  });
});
