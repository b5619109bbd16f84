import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { ColorSchemeScript } from "@mantine/core";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { AppProviders } from "./app/AppProviders";
import { createQueryClient } from "./app/queryClient";
import { tauriBackend } from "./ipc";

const root = document.getElementById("root");
if (!root) throw new Error("missing #root element");

createRoot(root).render(
  <StrictMode>
    <ColorSchemeScript defaultColorScheme="auto" />
    <AppProviders backend={tauriBackend} queryClient={createQueryClient()}>
      <App />
    </AppProviders>
  </StrictMode>,
);
