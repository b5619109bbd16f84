// The `amorphic-su exec` line for a service user, to paste in a terminal and finish with the
// command to run. It names the service user and a role only: the CLI assumes it and hands the
// command a local proxy, so no token or secret is ever in the line.
import type { UserView } from "../../ipc";

/** The role the line uses: the service user's default role when attached, else its first one. */
export function commandRole(user: Pick<UserView, "roles" | "defaultRoleId">): string | null {
  return user.roles.includes(user.defaultRoleId) ? user.defaultRoleId : (user.roles[0] ?? null);
}

/** A word as a POSIX shell reads it: as is when plain, else single-quoted. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9._:@%+=,/-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `amorphic-su exec etl-bot --role role-data-engineers -- ` (the command to run goes last). */
export function execCommand(user: Pick<UserView, "userId" | "roles" | "defaultRoleId">): string {
  const role = commandRole(user);
  const words = ["amorphic-su", "exec", shellWord(user.userId)];
  if (role) words.push("--role", shellWord(role));
  return `${words.join(" ")} -- `;
}
