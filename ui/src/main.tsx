import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "@mantine/spotlight/styles.css";
import { ColorSchemeScript } from "@mantine/core";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { AppProviders } from "./app/AppProviders";
import { createQueryClient } from "./app/queryClient";
import { prefetchServiceUsers } from "./features/service-users/usersQuery";
import { tauriBackend } from "./ipc";

const root = document.getElementById("root");
if (!root) throw new Error("missing #root element");

const queryClient = createQueryClient();
prefetchServiceUsers(queryClient, tauriBackend);

createRoot(root).render(
  <StrictMode>
    <ColorSchemeScript defaultColorScheme="auto" />
    <AppProviders backend={tauriBackend} queryClient={queryClient}>
      <App />
    </AppProviders>
  </StrictMode>,
);
