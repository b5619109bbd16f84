// Administration > Diagnostics: the doctor's report, made from the fake's state (no environment,
// the server unreachable, a session problem); everything else passes.
import type { Check, CheckId, CheckStatus, Diagnostics } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { now } from "../state";
import type { CommandHandlers } from "./handler";

const TITLES: Record<CheckId, string> = {
  profile: "Environment",
  keychain: "Keychain",
  server: "Server",
  tls: "TLS",
  clock: "Clock",
  base_url: "Base URL",
  jwks: "Token keys (JWKS)",
  session: "Session",
  cache: "Cache",
  versions: "Versions",
};

const check = (id: CheckId, status: CheckStatus, message: string, fix: string | null = null): Check => ({
  id,
  title: TITLES[id],
  status,
  message,
  fix,
});

export function fakeReport(fake: FakeBackend): Diagnostics {
  const env = fake.data.environments.find((e) => e.name === fake.data.currentEnvironment) ?? null;
  const version = fake.data.appInfo.version;
  const checks: Check[] = [];
  if (!env) {
    checks.push(check("profile", "fail", "no profile selected", "add an environment"));
    checks.push(check("keychain", "ok", "Secret Service: unlocked"));
    for (const id of ["server", "tls", "clock", "base_url", "jwks", "session", "cache"] as const) {
      checks.push(check(id, "skipped", "no environment to check (see Environment)"));
    }
  } else {
    checks.push(check("profile", "ok", `environment '${env.name}' at ${env.baseUrl}`));
    checks.push(
      check("keychain", "ok", "Secret Service: unlocked (an entry was written, read back and deleted)"),
    );
    if (!fake.data.online) {
      checks.push(check("server", "fail", "nothing accepts connections", "start the server"));
      for (const id of ["tls", "clock", "base_url"] as const) {
        checks.push(check(id, "skipped", "the server cannot be reached (see Server)"));
      }
      for (const id of ["jwks", "session"] as const) {
        checks.push(check(id, "skipped", "the API does not answer at this URL (see Server and Base URL)"));
      }
    } else {
      checks.push(check("server", "ok", "answered HTTP 401 in 3 ms"));
      checks.push(check("tls", "ok", "HTTPS: the certificate is trusted, in date and valid"));
      checks.push(check("clock", "ok", "within 0 s of the server's clock (its Date header)"));
      checks.push(check("base_url", "ok", `${env.baseUrl} answers the contract`));
      checks.push(check("jwks", "ok", "1 token-signing key at /.well-known/jwks.json"));
      const problem = fake.data.sessionProblem;
      checks.push(
        problem
          ? check("session", "fail", problem.message, "sign in again")
          : check("session", "ok", `signed in as ${env.userId ?? "alice"}`),
      );
    }
    checks.push(check("cache", "ok", "sound (quick_check), 132 KiB"));
  }
  checks.push(check("versions", "ok", `app ${version}`));
  const report = {
    profile: env?.name ?? null,
    baseUrl: env?.baseUrl ?? null,
    checkedAt: now(),
    appVersion: version,
    checks,
  };
  const text = [
    `amorphic-su doctor: environment ${report.profile ?? "(none)"}`,
    ...checks.map((c) => `[${c.status}] ${c.title} ${c.message}${c.fix ? `\n  fix: ${c.fix}` : ""}`),
  ].join("\n");
  return { report, text };
}

export const diagnosticsCommands = {
  async diagnosticsRun(fake) {
    return fakeReport(fake);
  },
} satisfies Partial<CommandHandlers>;
