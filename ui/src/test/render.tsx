// Renders a screen inside the app's providers with a fake backend:
//   const { user, backend } = renderWithProviders(<App />, { backend: scenarios.offline() });
import type { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import type { ReactElement, ReactNode } from "react";
import { AppProviders } from "../app/AppProviders";
import { createQueryClient } from "../app/queryClient";
import { FakeBackend } from "./fake";

export type RenderOptions = {
  backend?: FakeBackend;
  queryClient?: QueryClient;
};

export type Rendered = ReturnType<typeof render> & {
  user: UserEvent;
  backend: FakeBackend;
  queryClient: QueryClient;
};

/** The app's own query client (same retry policy), retrying without delay. */
export function createTestQueryClient(): QueryClient {
  return createQueryClient({ retryDelay: 0 });
}

export function renderWithProviders(
  ui: ReactElement,
  { backend = new FakeBackend(), queryClient = createTestQueryClient() }: RenderOptions = {},
): Rendered {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AppProviders backend={backend} queryClient={queryClient} env="test">
      {children}
    </AppProviders>
  );
  return Object.assign(render(ui, { wrapper }), { user: userEvent.setup(), backend, queryClient });
}
