import { Alert, Button, Group, Stack, Switch, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import type { EnvironmentView } from "../../gen/bindings";
import { useBackendMutation } from "../../ipc/queries";
import { ColourField } from "./ColourField";
import { DEFAULT_ENVIRONMENT_COLOUR } from "./environmentColour";
import { errorTitle } from "./errors";

/** Adds an environment (a profile): name, base URL, colour, production flag, default role. */
export function EnvironmentForm({
  onAdded,
  onCancel,
}: {
  onAdded: (env: EnvironmentView) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [colour, setColour] = useState<string>(DEFAULT_ENVIRONMENT_COLOUR);
  const [production, setProduction] = useState(false);
  const [defaultRole, setDefaultRole] = useState("");
  const [missing, setMissing] = useState(false);
  const add = useBackendMutation("environmentAdd", {
    invalidates: ["environmentsList", "sessionStatus"],
    meta: { errorToast: false },
    onSuccess: (env) => onAdded(env),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !baseUrl.trim()) {
      setMissing(true);
      return;
    }
    add.mutate([
      {
        name: name.trim(),
        baseUrl: baseUrl.trim(),
        colour: production ? null : colour,
        production,
        defaultRole: defaultRole.trim() || null,
      },
    ]);
  };

  return (
    <form onSubmit={submit} aria-label="Add environment" noValidate>
      <Stack gap="sm">
        <TextInput
          label="Name"
          placeholder="demo"
          required
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={missing && !name.trim() ? "Give the environment a name." : undefined}
        />
        <TextInput
          label="Base URL"
          placeholder="https://amorphic.example.com"
          required
          type="url"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.currentTarget.value)}
          error={missing && !baseUrl.trim() ? "Give the API's base URL." : undefined}
        />
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
          description="Optional: the role to act with after signing in."
          placeholder="SystemRole-SuperAdmin"
          value={defaultRole}
          onChange={(e) => setDefaultRole(e.currentTarget.value)}
        />
        {add.error && (
          <Alert color="red" role="alert" title={errorTitle(add.error, "Could not add the environment")}>
            {add.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={add.isPending}>
            Add environment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
