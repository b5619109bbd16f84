// The fake backend moved to ./fake; this path stays for src/ipc/ipc.test.ts until it imports ./fake.
export * from "./fake";
