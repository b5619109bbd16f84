import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    css: false,
    testTimeout: 15_000,
    restoreMocks: true,
    // One jsdom per worker, not per file: half the run time. Tests share module state, so keep
    // globals clean (src/test/setup.ts resets the DOM and the toasts; clear IPC mocks you install).
    isolate: false,
  },
});
