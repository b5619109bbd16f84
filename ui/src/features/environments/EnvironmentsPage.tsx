import {
  Alert,
  Badge,
  Button,
  ColorSwatch,
  EmptyState,
  Group,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../app/notify";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { EnvironmentView } from "../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { EnvironmentForm } from "./EnvironmentForm";
import {
  closeButtonProps,
  cssColour,
  environmentColour,
  environmentLabel,
  useRedText,
} from "./environmentColour";
import { errorTitle } from "./errors";
import { SignInForm } from "./SignInForm";
import { SignOutDialog } from "./SignOutDialog";
import { useResetAfterSwitch } from "./useResetAfterSwitch";

type Dialog =
  | { kind: "add" }
  | { kind: "edit"; env: EnvironmentView }
  | { kind: "signIn"; env: EnvironmentView }
  | { kind: "signOut"; env: EnvironmentView }
  | { kind: "remove"; env: EnvironmentView };

/** Every configured environment: add, edit, switch, sign in and out, remove. */
export function EnvironmentsPage() {
  const environments = useBackendQuery("environmentsList", []);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  const resetAll = useResetAfterSwitch();
  const red = useRedText();

  const use = useBackendMutation("environmentUse", {
    onSuccess: async (_r, [name]) => {
      await resetAll();
      notifySuccess(`Now working in ${name}.`);
    },
  });
  const remove = useBackendMutation("environmentRemove", {
    onSuccess: async (_r, [name]) => {
      close();
      await resetAll();
      notifySuccess(`Removed ${name} with its cache and keychain entries.`);
    },
  });

  const list = environments.data ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3">
          Environments
        </Title>
        <Button onClick={() => setDialog({ kind: "add" })}>Add environment</Button>
      </Group>
      <Text c="dimmed" size="sm">
        The Amorphic environments this app works with. Credentials live in the OS keychain.
      </Text>

      {environments.error && (
        <Alert
          color="red"
          role="alert"
          title={errorTitle(environments.error, "Could not read the environments")}
        >
          {environments.error.message}
        </Alert>
      )}
      {environments.isPending && (
        <div role="status" aria-label="Loading environments">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={32} mb={6} />
          ))}
        </div>
      )}
      {environments.data && list.length === 0 && (
        <EmptyState
          title="No environment yet"
          description="Add the Amorphic environment you administer, then sign in to it."
        >
          <EmptyState.Actions>
            <Button onClick={() => setDialog({ kind: "add" })}>Add your first environment</Button>
          </EmptyState.Actions>
        </EmptyState>
      )}
      {list.length > 0 && (
        <Table aria-label="Environments" verticalSpacing={6} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Environment</Table.Th>
              <Table.Th>Base URL</Table.Th>
              <Table.Th>Signed in as</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((env) => (
              <Table.Tr key={env.name} data-environment={env.name} aria-current={env.current || undefined}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <ColorSwatch color={cssColour(environmentColour(env))} size={14} />
                    <Text fw={600} c={env.production ? red : undefined}>
                      {environmentLabel(env)}
                    </Text>
                    {env.current && (
                      <Badge variant="light" size="sm">
                        current
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {env.baseUrl}
                </Table.Td>
                <Table.Td>
                  {env.signedIn ? (
                    (env.userId ?? "signed in")
                  ) : (
                    <Text span c="dimmed" size="sm">
                      not signed in
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} justify="flex-end" wrap="nowrap">
                    {!env.current && (
                      <Button
                        size="xs"
                        variant="light"
                        aria-label={`Use ${env.name}`}
                        loading={use.isPending && use.variables?.[0] === env.name}
                        onClick={() => use.mutate([env.name])}
                      >
                        Use
                      </Button>
                    )}
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={env.signedIn ? `Sign in again to ${env.name}` : `Sign in to ${env.name}`}
                      onClick={() => setDialog({ kind: "signIn", env })}
                    >
                      {env.signedIn ? "Sign in again" : "Sign in"}
                    </Button>
                    {env.current && env.signedIn && (
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Sign out of ${env.name}`}
                        onClick={() => setDialog({ kind: "signOut", env })}
                      >
                        Sign out
                      </Button>
                    )}
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Edit ${env.name}`}
                      onClick={() => setDialog({ kind: "edit", env })}
                    >
                      Edit
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${env.name}`}
                      onClick={() => setDialog({ kind: "remove", env })}
                    >
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Modal
        opened={dialog?.kind === "add"}
        onClose={close}
        title="Add environment"
        centered
        closeButtonProps={closeButtonProps}
      >
        <EnvironmentForm
          onAdded={(env) => {
            close();
            notifySuccess(`Added ${env.name}. Sign in to it to start.`);
          }}
          onCancel={close}
        />
      </Modal>
      <Modal
        opened={dialog?.kind === "edit"}
        onClose={close}
        title={dialog?.kind === "edit" ? `Edit ${dialog.env.name}` : "Edit environment"}
        centered
        closeButtonProps={closeButtonProps}
      >
        {dialog?.kind === "edit" && (
          <EnvironmentForm
            environment={dialog.env}
            onEdited={async ({ environment, signedOut }) => {
              close();
              if (signedOut) {
                // Its session, identities and cache are gone: every screen starts again.
                if (environment.current) await resetAll();
                notifySuccess(
                  `${environment.name} now points to another server, so it was signed out. Sign in to it again.`,
                  "Saved, signed out",
                );
              } else {
                notifySuccess(`Saved ${environment.name}.`);
              }
            }}
            onCancel={close}
          />
        )}
      </Modal>
      <Modal
        opened={dialog?.kind === "signIn"}
        onClose={close}
        title={dialog?.kind === "signIn" ? `Sign in to ${dialog.env.name}` : "Sign in"}
        centered
        closeButtonProps={closeButtonProps}
      >
        {dialog?.kind === "signIn" && (
          <SignInForm
            environment={dialog.env}
            onSignedIn={() => {
              close();
              notifySuccess(`Signed in to ${dialog.env.name}.`);
            }}
            onCancel={close}
          />
        )}
      </Modal>
      <SignOutDialog
        opened={dialog?.kind === "signOut"}
        environment={dialog?.kind === "signOut" ? dialog.env : null}
        onClose={close}
      />
      <ConfirmDialog
        opened={dialog?.kind === "remove"}
        title={dialog?.kind === "remove" ? `Remove ${dialog.env.name}?` : "Remove environment?"}
        environment={dialog?.kind === "remove" ? dialog.env : null}
        typeToConfirm={dialog?.kind === "remove" ? dialog.env.name : undefined}
        confirmLabel="Remove"
        loading={remove.isPending}
        onConfirm={() => dialog?.kind === "remove" && remove.mutate([dialog.env.name])}
        onClose={close}
      >
        <Text size="sm">
          The app forgets this environment, its cache and its keychain entries. Nothing changes on the server.
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
