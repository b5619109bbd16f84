import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * `vite build --mode ipc-mock`: the app over a mocked Tauri IPC (src/test/ipcMockEntry.ts) for the
 * browser tests, into dist-mock/. Only this mode swaps the entry, so dist/ never contains the mock.
 */
function ipcMockEntry(): Plugin {
  return {
    name: "amorphic-su-ipc-mock-entry",
    // "pre": before Vite reads the entry script from index.html.
    transformIndexHtml: {
      order: "pre",
      handler: (html) => html.replace("/src/main.tsx", "/src/test/ipcMockEntry.ts"),
    },
  };
}

// Tauri expects a fixed dev port and no screen clearing, so Rust errors stay visible.
export default defineConfig(({ mode }) => {
  const mock = mode === "ipc-mock";
  return {
    plugins: [react(), ...(mock ? [ipcMockEntry()] : [])],
    clearScreen: false,
    server: { port: 1420, strictPort: true },
    build: { target: "es2022", outDir: mock ? "dist-mock" : "dist", emptyOutDir: true },
  };
});
