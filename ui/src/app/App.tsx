import { Alert, AppShell, NavLink, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { TopBar } from "../components/TopBar";
import { ServiceUsersTable } from "../features/service-users/ServiceUsersTable";
import { type AppInfo, type Backend, type SessionView, tauriBackend } from "../ipc";

export function App({ backend = tauriBackend }: { backend?: Backend }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    backend.appInfo().then(setInfo, (e: unknown) => setError(String(e)));
    backend.sessionStatus().then(setSession, (e: unknown) => setError(String(e)));
  }, [backend]);

  const signedIn = Boolean(session?.userId) && !session?.problem;

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <TopBar info={info} session={session} />
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700} px="sm" py={4}>
          Users and Access
        </Text>
        <NavLink label="Service users" active />
        <NavLink label="All users" />
        <NavLink label="Access tokens" />
        <NavLink label="Environments" />
      </AppShell.Navbar>
      <AppShell.Main>
        <Stack gap="xs">
          <Title order={2} size="h3">
            Service users
          </Title>
          <Text c="dimmed" size="sm">
            Non-human accounts for machine-to-machine automation.
          </Text>
          {error && (
            <Alert color="red" role="alert" title="The app core did not answer">
              {error}
            </Alert>
          )}
          {session?.problem && (
            <Alert color={session.online ? "red" : "yellow"} role="alert" title="Not signed in">
              {session.problem.message}
            </Alert>
          )}
          {session && !session.environment && (
            <Text>
              No environment yet. Add one with <code>amorphic-su profile add</code> and sign in with{" "}
              <code>amorphic-su login</code>.
            </Text>
          )}
          {(signedIn || (session?.environment && !session.online)) && <ServiceUsersTable backend={backend} />}
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}
