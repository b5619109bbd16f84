import { invoke } from "@tauri-apps/api/core";

/** What the app knows about itself, from the Rust side. */
export interface AppInfo {
  productName: string;
  version: string;
}

/** The backend the UI talks to: the real Tauri IPC in the app, a fake in component tests. */
export interface Backend {
  appInfo(): Promise<AppInfo>;
}

export const tauriBackend: Backend = {
  appInfo: () => invoke<AppInfo>("app_info"),
};
