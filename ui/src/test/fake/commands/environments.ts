// Environments (the app core's profiles): list, add, choose, remove.
import { fail, unknownProfile } from "../errors";
import { checkNewEnvironment } from "../rules";
import type { FakeEnvironment } from "../state";
import type { CommandHandlers } from "./handler";

export const environmentCommands = {
  async environmentsList(fake) {
    return fake.data.environments.map((e) => ({ ...e, current: e.name === fake.data.currentEnvironment }));
  },

  async environmentAdd(fake, environment) {
    const name = environment.name.trim();
    const baseUrl = environment.baseUrl.trim();
    checkNewEnvironment(name, baseUrl, fake.data.environments);
    const blank = (s: string | null) => (s?.trim() ? s.trim() : null);
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
