import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import type { AccessTokenView, IdentityView } from "../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { closeButtonProps } from "../environments/environmentColour";
import { errorTitle } from "../environments/errors";
import { useRoleNames } from "./hooks";

/** What the dialog shows: the form, the new secret (once), or "copied it?" before closing. */
type Phase = "form" | "secret" | "confirmClose";

/**
 * Creates an access token for the service user, acting as it. The secret is shown once, with a
 * Copy button (the clipboard is cleared after a minute); closing asks whether it was copied and
 * then forgets it: it is in no query cache, and the mutations that carried it are dropped.
 */
export function NewAccessTokenDialog({
  identity,
  opened,
  onClose,
}: {
  identity: IdentityView;
  opened: boolean;
  onClose: () => void;
}) {
  const userId = identity.serviceUserId;
  const roleName = useRoleNames();
  const user = useBackendQuery("userGet", [userId], { enabled: opened });
  const [phase, setPhase] = useState<Phase>("form");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [roleId, setRoleId] = useState(identity.roleId);
  const [days, setDays] = useState<number | string>(30);
  const [missing, setMissing] = useState(false);
  const [secret, setSecret] = useState<{ token: AccessTokenView; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);

  // gcTime 0: once the dialog lets go of them, the mutations holding the secret leave the cache.
  const create = useBackendMutation("accessTokenCreateAs", {
    invalidates: ["accessTokensAs", "serviceUserAccessTokens"],
    meta: { errorToast: false },
    gcTime: 0,
    onSuccess: (created) => {
      setSecret(created);
      setPhase("secret");
    },
  });
  const copy = useBackendMutation("clipboardCopySecret", {
    gcTime: 0,
    onSuccess: () => setCopied(true),
  });

  const finish = () => {
    setSecret(null);
    setCopied(false);
    create.reset();
    copy.reset();
    setPhase("form");
    setName("");
    setDescription("");
    setRoleId(identity.roleId);
    setDays(30);
    setMissing(false);
    onClose();
  };
  // Esc, the close button and "Done" all ask first while a secret is on screen.
  const requestClose = () => (secret ? setPhase("confirmClose") : finish());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = typeof days === "number" ? days : Number.parseInt(days, 10);
    if (!name.trim() || !roleId || !Number.isInteger(n) || n < 1 || n > 365) {
      setMissing(true);
      return;
    }
    create.mutate([
      userId,
      { name: name.trim(), description: description.trim() || null, roleId, expiresInDays: n },
    ]);
  };

  const roles = user.data?.user.roles ?? [identity.roleId];
  const title = phase === "form" ? `New access token for ${userId}` : "Access token created";

  return (
    <Modal
      opened={opened}
      onClose={requestClose}
      title={title}
      centered
      size="lg"
      closeButtonProps={closeButtonProps}
    >
      {phase === "form" && (
        <form onSubmit={submit} aria-label="New access token" noValidate>
          <Stack gap="sm">
            <TextInput
              label="Token name"
              required
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={missing && !name.trim() ? "Give the token a name." : undefined}
            />
            <Textarea
              label="Description"
              rows={2}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <Select
              label="Role"
              description={`One of ${userId}'s roles; the token acts with it.`}
              data={roles.map((r) => ({ value: r, label: roleName(r) }))}
              value={roleId}
              onChange={(v) => v && setRoleId(v)}
              allowDeselect={false}
            />
            <NumberInput
              label="Expires in (days)"
              description="1 to 365 days."
              min={1}
              max={365}
              allowDecimal={false}
              clampBehavior="strict"
              value={days}
              onChange={setDays}
              error={missing && !(Number(days) >= 1 && Number(days) <= 365) ? "1 to 365 days." : undefined}
            />
            {create.error && (
              <Alert color="red" role="alert" title={errorTitle(create.error, "Could not create the token")}>
                {create.error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={finish}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {phase === "secret" && secret && (
        <Stack gap="sm">
          <Text size="sm">
            Copy the secret of <b>{secret.token.tokenName}</b> now: it is shown only once and the app does not
            keep it.
          </Text>
          <Paper withBorder p="sm" role="region" aria-label="New token secret">
            <Code block style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }} data-secret>
              {secret.secret}
            </Code>
          </Paper>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {copied
                ? "Copied. The clipboard is cleared after a minute."
                : "Copying puts it on the clipboard for a minute, then clears it."}
            </Text>
            <Group gap="xs">
              <Button
                variant={copied ? "light" : "filled"}
                loading={copy.isPending}
                onClick={() => copy.mutate([secret.secret])}
              >
                {copied ? "Copied" : "Copy"}
              </Button>
              <Button variant="default" onClick={requestClose}>
                Done
              </Button>
            </Group>
          </Group>
        </Stack>
      )}
      {phase === "confirmClose" && (
        <Stack gap="sm">
          <Text fw={600}>Copied it?</Text>
          <Text size="sm">
            {copied
              ? "Once closed, the secret cannot be shown again."
              : "You have not copied the secret. Once closed, it cannot be shown again."}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPhase("secret")} data-autofocus>
              Back to the secret
            </Button>
            <Button color="red" onClick={finish}>
              Yes, close
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
