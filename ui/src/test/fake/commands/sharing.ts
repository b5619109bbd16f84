// Sharing a service user (owner access) with users and tags.
import type { SharesView } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { checkAddShares, checkRemoveShare } from "../rules";
import type { FakeUser } from "../state";
import type { CommandHandlers } from "./handler";
import { recheckIdentity } from "./identities";

/** A service user's shares; a tag share lists the people who hold the tag. */
function sharesView(fake: FakeBackend, su: FakeUser): SharesView {
  const shares = su.shares ?? { users: [], tags: [] };
  return {
    users: shares.users.map((userId) => ({ userId, accessType: "owner" })),
    tags: shares.tags.map((tagId) => ({
      tagId,
      accessType: "owner",
      members: fake.data.users
        .filter((u) => !u.isServiceUser && u.tags.includes(tagId))
        .map((u) => u.userId)
        .sort(),
    })),
    freshness: fake.freshness(),
  };
}

export const sharingCommands = {
  async serviceUserShares(fake, userId) {
    fake.me();
    return sharesView(fake, fake.serviceUser(userId));
  },

  async serviceUserShare(fake, userId, users, tags) {
    const me = fake.me({ write: true });
    const su = fake.accessible(me, userId);
    checkAddShares(fake.data, users, tags);
    const shares = su.shares ?? { users: [], tags: [] };
    const newUsers = users.filter((u) => !shares.users.includes(u));
    const newTags = tags.filter((t) => !shares.tags.includes(t));
    su.shares = { users: [...shares.users, ...newUsers], tags: [...shares.tags, ...newTags] };
    if (newUsers.length + newTags.length > 0) {
      fake.touch(su);
      const names = [...newUsers, ...newTags.map((t) => `tag ${t}`)];
      fake.record(userId, "shared", `shared with ${names.join(", ")} (owner access)`, me.userId);
    }
    return sharesView(fake, su);
  },

  async serviceUserUnshare(fake, userId, principal) {
    const me = fake.me({ write: true });
    const su = fake.accessible(me, userId);
    checkRemoveShare(su, principal);
    const shares = su.shares ?? { users: [], tags: [] };
    su.shares =
      principal.kind === "user"
        ? { ...shares, users: shares.users.filter((u) => u !== principal.id) }
        : { ...shares, tags: shares.tags.filter((t) => t !== principal.id) };
    fake.touch(su);
    fake.record(
      userId,
      "unshared",
      principal.kind === "user"
        ? `stopped sharing with ${principal.id}`
        : `stopped sharing with tag ${principal.id}`,
      me.userId,
    );
    recheckIdentity(fake, me, userId);
    return sharesView(fake, su);
  },
} satisfies Partial<CommandHandlers>;
