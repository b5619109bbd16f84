// The fake backend: an in-memory second server for component tests and the IPC mock build.
//   const fake = new FakeBackend().failWith("usersPage", "offline");
export type { FakeCall } from "./backend";
export { FakeBackend } from "./backend";
export { DEFAULT_MESSAGES } from "./errors";
export { matchesSearch } from "./search";
export { demoData, demoRoles, demoUsers, fakeUser, manyUsers } from "./seed";
export type { FakeData, FakeEnvironment, FakeIdentity, FakeUser } from "./state";
