import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Backend } from "../ipc";
import { BackendProvider } from "../ipc/BackendContext";
import { TOAST_LEFT, TOAST_LIMIT, TOAST_WIDTH } from "./notify";
import { cssVariablesResolver, theme } from "./theme";

/** Everything a screen needs around it; main.tsx and the tests' render helper both use it. */
export function AppProviders({
  backend,
  queryClient,
  env,
  children,
}: {
  backend: Backend;
  queryClient: QueryClient;
  /** Mantine's `test` environment (no transitions or portals), for jsdom. */
  env?: "default" | "test";
  children: ReactNode;
}) {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="auto"
      env={env}
    >
      <Notifications
        position="bottom-left"
        limit={TOAST_LIMIT}
        // Plain CSS: Mantine's containerWidth would rewrite the expression's numbers as rem.
        styles={{ root: { left: TOAST_LEFT, maxWidth: TOAST_WIDTH } }}
      />
      <QueryClientProvider client={queryClient}>
        <BackendProvider backend={backend}>{children}</BackendProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
