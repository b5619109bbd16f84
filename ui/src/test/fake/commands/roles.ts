// The signed-in user's own roles: which they may act with, and switching the one requests carry.
import type { MyRolesView } from "../../../ipc";
import type { FakeBackend } from "../backend";
import { fail, refuse, roleBound } from "../errors";
import type { FakeUser } from "../state";
import type { CommandHandlers } from "./handler";
import { sessionStatus } from "./session";

/** The roles attached to `me`, by name, the super-admin and the active one marked (as `my_roles`). */
function myRoles(fake: FakeBackend, me: FakeUser): MyRolesView {
  const env = fake.currentEnv();
  const active = fake.activeRole(me)?.roleId ?? me.defaultRoleId;
  const bound = fake.data.auth === "pat";
  return {
    roles: me.roles.map((id) => {
      const role = fake.data.roles.find((r) => r.roleId === id);
      return {
        roleId: id,
        roleName: role?.roleName ?? id,
        isSuperAdmin: role?.isSuperAdmin ?? false,
        isDefault: id === me.defaultRoleId,
        active: id === active,
      };
    }),
    activeRoleId: active,
    switchable: !bound,
    boundReason: bound ? roleBound(env?.name ?? "demo", active).message : null,
  };
}

export const roleCommands = {
  async roleList(fake) {
    return myRoles(fake, fake.me());
  },

  /**
   * Every later request carries `roleId` (null: the credential's default), kept as the
   * environment's default role. A PAT is bound to its role; a role not attached is refused.
   */
  async roleUse(fake, roleId) {
    const me = fake.me({ write: true });
    const env = fake.currentEnv() ?? refuse("no_profile");
    const current = fake.activeRole(me)?.roleId ?? me.defaultRoleId;
    if (fake.data.auth === "pat" && roleId !== null && roleId !== current) fail(roleBound(env.name, current));
    if (roleId !== null && !me.roles.includes(roleId))
      refuse(
        "ROLE_NOT_ATTACHED",
        `role '${roleId}' is not attached to you; yours are ${me.roles.join(", ")}`,
      );
    // A PAT's own role is its default: nothing changes.
    if (fake.data.auth !== "pat") fake.data.roleId = roleId;
    env.defaultRole = roleId;
    return sessionStatus(fake);
  },
} satisfies Partial<CommandHandlers>;
