import {
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useSession } from "../../app/session";
import { useBackendQuery } from "../../ipc/queries";
import { EnvironmentForm } from "./EnvironmentForm";
import { environmentColour, environmentLabel, useRedText } from "./environmentColour";
import { errorTitle } from "./errors";
import { SignInForm } from "./SignInForm";

/**
 * What the app shows when it cannot act for anyone: no environment yet, or the current one is not
 * signed in (or its session expired). Add an environment, pick one, sign in.
 */
export function SignInScreen() {
  const environments = useBackendQuery("environmentsList", []);
  const { data: session } = useSession();
  const [chosen, setChosen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const red = useRedText();

  const list = environments.data ?? [];
  const current = list.find((e) => e.current) ?? list[0];
  const selected = list.find((e) => e.name === chosen) ?? current;
  const problem =
    session?.problem &&
    session.environment?.name === selected?.name &&
    session.problem.code !== "not_signed_in"
      ? session.problem
      : null;

  let body: ReactNode;
  if (environments.isPending) {
    body = (
      <div role="status" aria-label="Loading environments">
        <Skeleton height={36} mb="sm" />
        <Skeleton height={36} mb="sm" />
        <Skeleton height={36} />
      </div>
    );
  } else if (environments.error) {
    body = (
      <Alert
        color="red"
        role="alert"
        title={errorTitle(environments.error, "Could not read the environments")}
      >
        {environments.error.message}
      </Alert>
    );
  } else if (list.length === 0 || adding) {
    body = (
      <Stack gap="sm">
        <Text size="sm">
          {list.length === 0
            ? "No environment yet. Add the Amorphic environment you administer: its name and API base URL."
            : "Add another Amorphic environment."}
        </Text>
        <EnvironmentForm
          onAdded={(env) => {
            setChosen(env.name);
            setAdding(false);
          }}
          onCancel={list.length > 0 ? () => setAdding(false) : undefined}
        />
      </Stack>
    );
  } else if (selected) {
    body = (
      <Stack gap="md">
        <Group align="flex-end" wrap="nowrap">
          <Select
            label="Environment"
            data={list.map((e) => ({ value: e.name, label: environmentLabel(e) }))}
            value={selected.name}
            onChange={(v) => v && setChosen(v)}
            allowDeselect={false}
            flex={1}
          />
          <Button variant="default" onClick={() => setAdding(true)}>
            Add environment
          </Button>
        </Group>
        <Group gap="xs">
          <Badge color={environmentColour(selected)} tt="none" aria-label="selected environment">
            {environmentLabel(selected)}
          </Badge>
          {selected.production && (
            <Text size="sm" c={red} fw={600}>
              Production: changes here affect real users.
            </Text>
          )}
        </Group>
        {problem && (
          <Alert
            color={problem.code === "offline" ? "yellow" : "red"}
            role="alert"
            title={errorTitle(problem, "Not signed in")}
          >
            {problem.message}
          </Alert>
        )}
        {/* Only a password sign-in has a session that ends: ask for the password again. */}
        <SignInForm
          key={selected.name}
          environment={selected}
          initialMethod={problem?.code === "session_expired" ? "password" : "pat"}
        />
      </Stack>
    );
  }

  return (
    <Center mih="70vh" p="md">
      <Paper withBorder shadow="sm" p="lg" radius="md" w="100%" maw={520}>
        <Stack gap="md">
          <Title order={2} size="h3">
            {list.length === 0 && !environments.isPending ? "Add an environment" : "Sign in"}
          </Title>
          {body}
        </Stack>
      </Paper>
    </Center>
  );
}
