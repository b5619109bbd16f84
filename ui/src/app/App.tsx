import { Alert, AppShell, Box, Button, NavLink, Skeleton, Stack, Text } from "@mantine/core";
import { type ReactNode, Suspense, useMemo, useState } from "react";
import { TopBar, useTopBarHeight } from "../components/TopBar";
import { SignInScreen } from "../features/environments/SignInScreen";
import { stateNow } from "../features/identity/identityState";
import type { PalettePage } from "../features/palette/entries";
import { LazyCommandPalette } from "../features/palette/LazyCommandPalette";
import { UsersList } from "../features/service-users/UsersList";
import type { Code, IdentityView } from "../ipc";
import { useBackendQuery } from "../ipc/queries";
import { useIdentityEvents } from "./identityEvents";
import { lazyNamed } from "./lazy";
import { OfflineBanner } from "./OfflineBanner";
import { useAppInfo, useSession } from "./session";
import { useInvalidateAfterSync } from "./sync";

// The pages other than the home screen load on first use (their own chunks).
const AccessTokensPage = lazyNamed(
  () => import("../features/access-tokens/AccessTokensPage"),
  "AccessTokensPage",
);
const EnvironmentsPage = lazyNamed(
  () => import("../features/environments/EnvironmentsPage"),
  "EnvironmentsPage",
);
const ActingAsPage = lazyNamed(() => import("../features/identity/ActingAsPage"), "ActingAsPage");
const JournalPage = lazyNamed(() => import("../features/journal/JournalPage"), "JournalPage");
const DiagnosticsPage = lazyNamed(() => import("../features/diagnostics/DiagnosticsPage"), "DiagnosticsPage");

export type Page =
  | "service"
  | "all"
  | "environments"
  | "journal"
  | "access-tokens"
  | "diagnostics"
  | "acting";

/** Session problems that only signing in (or adding an environment) solves. */
export const SIGN_IN_PROBLEMS: ReadonlySet<Code> = new Set<Code>([
  "not_signed_in",
  "session_expired",
  "no_profile",
]);

export function App() {
  const info = useAppInfo();
  const { data: session, error: sessionError, isPending } = useSession();
  const needsSignIn = Boolean(
    session && (!session.environment || (session.problem && SIGN_IN_PROBLEMS.has(session.problem.code))),
  );
  // Signed in, or offline with a cached environment: the lists answer from the cache.
  const ready = Boolean(session && !needsSignIn);
  useIdentityEvents();
  useInvalidateAfterSync(ready);
  const identities = useBackendQuery("identitiesList", [], { enabled: ready });
  const acting = identities.data?.find((i) => i.active) ?? null;
  const [page, setPage] = useState<Page>("service");
  const shown: Page = page === "acting" && !acting ? "service" : page;
  // The pages the command palette opens ("Open environments", "Open journal"): a page added to
  // the navigation adds itself here too.
  const palettePages = useMemo<PalettePage[]>(
    () => [
      { id: "service", label: "Service users" },
      { id: "all", label: "All users" },
      { id: "environments", label: "Environments" },
      { id: "journal", label: "Journal" },
      { id: "access-tokens", label: "Access tokens" },
      { id: "diagnostics", label: "Diagnostics" },
      ...(acting ? [{ id: "acting", label: "Acting as page" }] : []),
    ],
    [acting],
  );
  // The production banner makes the header taller.
  const topBarHeight = useTopBarHeight();

  const error = info.error ?? sessionError;
  const otherProblem =
    session?.problem && session.problem.code !== "offline" && !SIGN_IN_PROBLEMS.has(session.problem.code)
      ? session.problem
      : null;

  let content: ReactNode;
  if (isPending) {
    content = (
      <div role="status" aria-label="Loading the session">
        <Skeleton height={32} width="40%" mb="md" />
        <Skeleton height={28} mb={8} />
        <Skeleton height={28} mb={8} />
      </div>
    );
  } else if (needsSignIn) {
    content = <Scroll>{<SignInScreen />}</Scroll>;
  } else if (page === "diagnostics") {
    // What to look at when the session cannot be used: reachable without it.
    content = (
      <Scroll>
        <DiagnosticsPage />
      </Scroll>
    );
  } else if (ready) {
    content = {
      service: <UsersList key="service" kind="service" />,
      all: <UsersList key="all" kind="all" />,
      environments: (
        <Scroll>
          <EnvironmentsPage />
        </Scroll>
      ),
      journal: (
        <Scroll>
          <JournalPage />
        </Scroll>
      ),
      "access-tokens": (
        <Scroll>
          <AccessTokensPage />
        </Scroll>
      ),
      diagnostics: (
        <Scroll>
          <DiagnosticsPage />
        </Scroll>
      ),
      acting: (
        <Scroll>
          <ActingAsPage />
        </Scroll>
      ),
    }[shown];
  }

  const nav = (target: Page, label: ReactNode) => (
    <NavLink
      component="button"
      label={label}
      active={shown === target}
      aria-current={shown === target ? "page" : undefined}
      onClick={() => setPage(target)}
    />
  );

  return (
    <AppShell
      header={{ height: topBarHeight }}
      navbar={ready ? { width: 200, breakpoint: 0 } : undefined}
      padding="md"
    >
      <AppShell.Header>
        <TopBar />
      </AppShell.Header>
      {ready && <LazyCommandPalette pages={palettePages} onOpenPage={(id) => setPage(id as Page)} />}
      {ready && (
        <AppShell.Navbar p="xs" aria-label="Main navigation" component="nav">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700} px="sm" pt={4}>
            Administration
          </Text>
          <Text size="xs" c="dimmed" px="sm" pb={4}>
            Users and Access
          </Text>
          {nav("service", "Service users")}
          {nav("all", "All users")}
          {nav("environments", "Environments")}
          {nav("journal", "Journal")}
          {nav("access-tokens", "Access tokens")}
          {nav("diagnostics", "Diagnostics")}
          {acting &&
            nav(
              "acting",
              <Text span size="sm" truncate="end" display="block">
                {actingLabel(acting)}
              </Text>,
            )}
        </AppShell.Navbar>
      )}
      <AppShell.Main style={{ display: "flex", flexDirection: "column", height: "100dvh" }}>
        <Stack gap="xs" style={{ flex: 1, minHeight: 0 }}>
          {error && (
            <Alert color="red" role="alert" title="The app core did not answer">
              {error.message}
            </Alert>
          )}
          {otherProblem && (
            <Alert color="red" role="alert" title="The session cannot be used">
              {otherProblem.message}{" "}
              {page !== "diagnostics" && (
                <Button variant="subtle" size="compact-sm" onClick={() => setPage("diagnostics")}>
                  Run diagnostics
                </Button>
              )}
            </Alert>
          )}
          {ready && <OfflineBanner />}
          {content}
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}

/** The acting-as page's link: never "Acting as" an identity the server refuses or that expired. */
function actingLabel(identity: IdentityView): string {
  const state = stateNow(identity, Date.now());
  return state === "refused" || state === "expired"
    ? `${identity.serviceUserId} (${state})`
    : `Acting as ${identity.serviceUserId}`;
}

/** A page that scrolls on its own (the lists manage their own scrolling); a page whose code is
 * still loading shows a skeleton there, and nothing else in the window changes. */
function Scroll({ children }: { children: ReactNode }) {
  return (
    <Box style={{ flex: 1, minHeight: 0, overflow: "auto" }}>
      <Suspense
        fallback={
          <div role="status" aria-label="Loading the page">
            <Skeleton height={32} width="40%" mb="md" />
            <Skeleton height={28} mb={8} />
          </div>
        }
      >
        {children}
      </Suspense>
    </Box>
  );
}
