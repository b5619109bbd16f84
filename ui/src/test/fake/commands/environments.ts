// Environments (the app core's profiles): list, add, edit, choose, remove.
import { fail, unknownProfile } from "../errors";
import { checkBaseUrl, checkNewEnvironment } from "../rules";
import type { FakeEnvironment } from "../state";
import type { CommandHandlers } from "./handler";

/** An optional text as stored: trimmed, null when empty. */
const blank = (s: string | null) => (s?.trim() ? s.trim() : null);

export const environmentCommands = {
  async environmentsList(fake) {
    return fake.data.environments.map((e) => ({ ...e, current: e.name === fake.data.currentEnvironment }));
  },

  async environmentAdd(fake, environment) {
    const name = environment.name.trim();
    const baseUrl = environment.baseUrl.trim();
    checkNewEnvironment(name, baseUrl, fake.data.environments);
    const added: FakeEnvironment = {
      name,
      baseUrl,
      colour: blank(environment.colour),
      production: environment.production,
      userId: null,
      defaultRole: blank(environment.defaultRole),
      signedIn: false,
    };
    fake.data.environments.push(added);
    if (!fake.currentEnv()) fake.data.currentEnvironment = name;
    return { ...added, current: fake.data.currentEnvironment === name };
  },

  /**
   * Edits an environment. A base URL on another origin (scheme, host, port) signs it out: its
   * credential must never reach another server, and its identities and cache go too.
   */
  async environmentEdit(fake, name, edit) {
    const env = fake.data.environments.find((e) => e.name === name);
    if (!env) fail(unknownProfile(name));
    const baseUrl = edit.baseUrl.trim();
    checkBaseUrl(baseUrl);
    const signedOut = env.signedIn && new URL(baseUrl).origin !== new URL(env.baseUrl).origin;
    env.baseUrl = baseUrl;
    env.colour = edit.production ? null : blank(edit.colour);
    env.production = edit.production;
    env.defaultRole = blank(edit.defaultRole);
    if (signedOut) {
      env.signedIn = false;
      if (fake.data.currentEnvironment === name) {
        fake.data.identities = [];
        fake.data.activeIdentity = null;
        fake.data.sessionExpiresAt = null;
      }
    }
    return { environment: { ...env, current: fake.data.currentEnvironment === name }, signedOut };
  },

  async environmentUse(fake, name) {
    if (!fake.data.environments.some((e) => e.name === name)) fail(unknownProfile(name));
    fake.data.currentEnvironment = name;
    fake.data.activeIdentity = null;
    return null;
  },

  async environmentRemove(fake, name) {
    if (!fake.data.environments.some((e) => e.name === name)) fail(unknownProfile(name));
    fake.data.environments = fake.data.environments.filter((e) => e.name !== name);
    if (fake.data.currentEnvironment === name) {
      fake.data.currentEnvironment = null;
      fake.data.identities = [];
      fake.data.activeIdentity = null;
    }
    return null;
  },
} satisfies Partial<CommandHandlers>;
