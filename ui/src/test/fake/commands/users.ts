// Reading users, roles and tags (from the cache when offline).
import { refuse } from "../errors";
import type { CommandHandlers } from "./handler";

export const userCommands = {
  async usersPage(fake, query) {
    const me = fake.me();
    const limit = Math.min(Math.max(query.limit, 1), 1000);
    const all = fake.matching(query, me);
    const users = all.slice(query.offset, query.offset + limit).map((u) => fake.view(u, me));
    return {
      users,
      offset: query.offset,
      hasMore: all.length > query.offset + limit,
      asOf: fake.data.lastSync,
    };
  },

  async usersCount(fake, query) {
    return fake.matching(query, fake.me()).length;
  },

  async userGet(fake, userId) {
    const me = fake.me();
    const u = fake.find(userId);
    if (!u) refuse("NOT_FOUND", `No user '${userId}'.`);
    return { user: fake.view(u, me), freshness: fake.freshness() };
  },

  async rolesList(fake) {
    fake.me();
    return fake.data.roles;
  },

  async tagsList(fake) {
    fake.me();
    return fake.data.tags;
  },
} satisfies Partial<CommandHandlers>;
