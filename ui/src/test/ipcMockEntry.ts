// The entry of the `ipc-mock` build (vite.config.ts swaps it in for main.tsx): the real app over a
// mocked Tauri IPC answered by the fake backend. Never part of the production bundle; the
// browser tests check dist/ for IPC_MOCK_MARKER.
import { notifyError } from "../app/notify";
import { installIpcMock } from "./ipcMock";
import { isScenarioName, scenarios } from "./scenarios";

export const IPC_MOCK_MARKER = "amorphic-su-ipc-mock-build";

const requested = new URLSearchParams(window.location.search).get("scenario") ?? "signedIn";
if (!isScenarioName(requested)) throw new Error(`unknown scenario ${requested}; see src/test/scenarios.ts`);
const fake = scenarios[requested]();
fake.latencyMs = Number(new URLSearchParams(window.location.search).get("latency") ?? 20);
installIpcMock(fake);
document.documentElement.dataset.ipcMock = IPC_MOCK_MARKER;
// Browser tests may inspect or change the fake (`page.evaluate(() => window.__fakeBackend.data...)`)
// and show a toast without a screen that raises one.
Object.assign(window, { __fakeBackend: fake, __testHooks: { notifyError } });

await import("../main");
