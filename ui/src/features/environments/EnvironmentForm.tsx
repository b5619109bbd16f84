import { Alert, Button, Group, Stack, Switch, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import type { EnvironmentEditedView, EnvironmentView } from "../../gen/bindings";
import { useBackendMutation } from "../../ipc/queries";
import { ColourField } from "./ColourField";
import { DEFAULT_ENVIRONMENT_COLOUR } from "./environmentColour";
import { errorTitle } from "./errors";

/** Whether two base URLs are on different servers (scheme, host, port); unreadable ones count as different. */
export function otherServer(a: string, b: string): boolean {
  try {
    return new URL(a).origin !== new URL(b).origin;
  } catch {
    return a.trim() !== b.trim();
  }
}

/**
 * Adds an environment (a profile): name, base URL, colour, production flag, default role. Given
 * `environment`, edits it instead (its name stays): a base URL on another server signs it out,
 * which the form says before saving.
 */
export function EnvironmentForm({
  environment,
  onAdded,
  onEdited,
  onCancel,
}: {
  environment?: EnvironmentView;
  onAdded?: (env: EnvironmentView) => void;
  onEdited?: (edited: EnvironmentEditedView) => void;
  onCancel?: () => void;
}) {
  const editing = environment !== undefined;
  const [name, setName] = useState(environment?.name ?? "");
  const [baseUrl, setBaseUrl] = useState(environment?.baseUrl ?? "");
  const [colour, setColour] = useState<string>(environment?.colour ?? DEFAULT_ENVIRONMENT_COLOUR);
  const [production, setProduction] = useState(environment?.production ?? false);
  const [defaultRole, setDefaultRole] = useState(environment?.defaultRole ?? "");
  const [missing, setMissing] = useState(false);
  const add = useBackendMutation("environmentAdd", {
    meta: { errorToast: false },
    invalidates: ["environmentsList", "sessionStatus"],
    onSuccess: (env) => onAdded?.(env),
  });
  const edit = useBackendMutation("environmentEdit", {
    meta: { errorToast: false },
    invalidates: ["environmentsList", "sessionStatus", "sessionStored"],
    onSuccess: (edited) => onEdited?.(edited),
  });
  const saving = editing ? edit : add;
  const movesAway =
    editing && environment.signedIn && baseUrl.trim() !== "" && otherServer(baseUrl, environment.baseUrl);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !baseUrl.trim()) {
      setMissing(true);
      return;
    }
    const fields = {
      baseUrl: baseUrl.trim(),
      colour: production ? null : colour,
      production,
      defaultRole: defaultRole.trim() || null,
    };
    if (editing) edit.mutate([environment.name, fields]);
    else add.mutate([{ name: name.trim(), ...fields }]);
  };

  return (
    <form onSubmit={submit} aria-label={editing ? `Edit ${environment.name}` : "Add environment"} noValidate>
      <Stack gap="sm">
        <TextInput
          label="Name"
          placeholder="demo"
          required={!editing}
          readOnly={editing}
          description={
            editing ? "The name stays: the CLI and the keychain know the environment by it." : undefined
          }
          data-autofocus={editing ? undefined : true}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={missing && !name.trim() ? "Give the environment a name." : undefined}
        />
        <TextInput
          label="Base URL"
          placeholder="https://amorphic.example.com"
          required
          type="url"
          data-autofocus={editing ? true : undefined}
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.currentTarget.value)}
          error={missing && !baseUrl.trim() ? "Give the API's base URL." : undefined}
        />
        {movesAway && (
          <Alert color="yellow" role="note" title="Another server" p="xs">
            Saving signs you out of {environment.name} and forgets its assumed identities and cache: its
            credential is never sent to another server. Sign in again afterwards.
          </Alert>
        )}
        <Switch
          label="Production environment"
          description="Shown in red with a banner; destructive actions ask for the name."
          checked={production}
          onChange={(e) => setProduction(e.currentTarget.checked)}
          color="red"
        />
        <ColourField value={colour} onChange={setColour} production={production} />
        <TextInput
          label="Default role"
          description={
            editing
              ? "The role id requests carry; empty: the credential's own. The role menu in the top bar switches it and asks the server first."
              : "Optional: the role to act with after signing in."
          }
          placeholder="SystemRole-SuperAdmin"
          value={defaultRole}
          onChange={(e) => setDefaultRole(e.currentTarget.value)}
        />
        {saving.error && (
          <Alert
            color="red"
            role="alert"
            title={errorTitle(
              saving.error,
              editing ? "Could not save the environment" : "Could not add the environment",
            )}
          >
            {saving.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={saving.isPending}>
            {editing ? "Save" : "Add environment"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
