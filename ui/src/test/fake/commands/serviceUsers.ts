// Managing service users: create, roles, status, owned resources, delete, history.
import type { BackendError, UserView } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { refuse } from "../errors";
import {
  checkAttachRoles,
  checkCreateServiceUser,
  checkDelete,
  checkDetachRole,
  checkTransferUser,
} from "../rules";
import { fakeUser } from "../seed";
import { type FakeUser, now } from "../state";
import type { CommandHandlers } from "./handler";
import { recheckIdentity } from "./identities";

function attachRoles(fake: FakeBackend, me: FakeUser, userId: string, roles: string[]): UserView {
  const su = fake.accessible(me, userId);
  checkAttachRoles(me, fake.data.roles, roles);
  const added = roles.filter((r) => !su.roles.includes(r));
  if (added.length > 0) {
    su.roles = [...su.roles, ...added];
    fake.touch(su);
    fake.record(userId, "roles_attached", `attached ${added.join(", ")}`, me.userId);
  }
  return fake.view(su, me);
}

function setStatus(fake: FakeBackend, userId: string, enabled: boolean): UserView {
  const me = fake.me({ write: true });
  const su = fake.accessible(me, userId);
  if (su.enabled !== enabled) {
    su.enabled = enabled;
    // The server refuses every token issued before a disable, even after the re-enable.
    if (!enabled)
      for (const i of fake.data.identities) if (i.serviceUserId === userId) i.issuedBeforeDisable = true;
    fake.touch(su);
    fake.record(userId, enabled ? "enabled" : "disabled", enabled ? "enabled" : "disabled", me.userId);
  }
  recheckIdentity(fake, me, userId);
  return fake.view(su, me);
}

/** The resources a user owns (the fake knows datasources only). */
function owned(fake: FakeBackend, userId: string) {
  return fake.data.datasources
    .filter((d) => d.owner === userId)
    .map((d) => ({ resourceType: "datasource", resourceId: d.datasourceId, name: d.datasourceName }));
}

export const serviceUserCommands = {
  async serviceUserCreate(fake, input) {
    const me = fake.me({ write: true });
    const userId = checkCreateServiceUser(me, fake.activeRole(me), fake.data.users, input);
    const t = now();
    const created = fakeUser({
      userId,
      displayName: input.displayName.trim(),
      description: input.description?.trim() || null,
      createdBy: me.userId,
      creationTime: t,
      lastModified: t,
      sharedWith: [me.userId],
    });
    fake.data.users.push(created);
    fake.changed();
    fake.record(userId, "created", `created "${created.displayName}"`, me.userId);
    const extra = input.roles.filter((r) => !created.roles.includes(r));
    if (extra.length > 0) {
      try {
        attachRoles(fake, me, userId, extra);
      } catch (e) {
        const err = e as BackendError;
        refuse(err.code, `'${userId}' was created, but attaching its roles failed: ${err.message}`);
      }
    }
    return fake.view(created, me);
  },

  async serviceUserAttachRoles(fake, userId, roles) {
    return attachRoles(fake, fake.me({ write: true }), userId, roles);
  },

  async serviceUserDetachRole(fake, userId, role) {
    const me = fake.me({ write: true });
    const su = fake.accessible(me, userId);
    checkDetachRole(me, su, role);
    su.roles = su.roles.filter((r) => r !== role);
    fake.touch(su);
    fake.record(userId, "role_detached", `detached ${role}`, me.userId);
    recheckIdentity(fake, me, userId);
    return fake.view(su, me);
  },

  async serviceUserEnable(fake, userId) {
    return setStatus(fake, userId, true);
  },

  async serviceUserDisable(fake, userId) {
    return setStatus(fake, userId, false);
  },

  async serviceUserOwnedResources(fake, userId) {
    const me = fake.me();
    fake.accessible(me, userId);
    return { resources: owned(fake, userId), freshness: fake.freshness() };
  },

  async serviceUserDelete(fake, userId, transferTo) {
    const me = fake.me({ write: true });
    const su = fake.accessible(me, userId);
    checkDelete(su);
    checkTransferUser(transferTo, fake.find(transferTo));
    const transferred = owned(fake, userId);
    for (const d of fake.data.datasources) if (d.owner === userId) d.owner = transferTo;
    fake.data.users = fake.data.users.filter((u) => u !== su);
    delete fake.data.accessTokens[userId];
    fake.data.identities = fake.data.identities.filter((i) => i.serviceUserId !== userId);
    if (fake.data.activeIdentity === userId) fake.data.activeIdentity = null;
    fake.changed();
    fake.record(
      userId,
      "deleted",
      `deleted; ${transferred.length} resource(s) transferred to ${transferTo}`,
      me.userId,
    );
    return { userId, transferredTo: transferTo, transferred };
  },

  async serviceUserHistory(fake, userId) {
    return fake.data.history[userId] ?? [];
  },
} satisfies Partial<CommandHandlers>;
