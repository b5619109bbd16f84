import { Alert, Button, Group, PasswordInput, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import type { EnvironmentView, SignInCredential } from "../../gen/bindings";
import { useBackendMutation } from "../../ipc/queries";
import { errorTitle } from "./errors";
import { useResetAfterSwitch } from "./useResetAfterSwitch";

type Method = SignInCredential["kind"];

/**
 * Signs in to one environment with a personal access token or a user id and password. The
 * secret leaves this form once, in the `signIn` call (Rust puts it in the OS keychain), and the
 * form forgets it at once, whatever the answer.
 */
export function SignInForm({
  environment,
  onSignedIn,
  onCancel,
  initialMethod = "pat",
}: {
  environment: EnvironmentView;
  onSignedIn?: () => void;
  onCancel?: () => void;
  /** The method shown first: a password session ending asks for the password again. */
  initialMethod?: Method;
}) {
  const [method, setMethod] = useState<Method>(initialMethod);
  const [token, setToken] = useState("");
  const [userId, setUserId] = useState(environment.userId ?? "");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState(false);
  const resetAll = useResetAfterSwitch();
  const signIn = useBackendMutation("signIn", {
    meta: { errorToast: false },
    onSuccess: async () => {
      await resetAll();
      onSignedIn?.();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const credential: SignInCredential | null =
      method === "pat"
        ? token.trim()
          ? { kind: "pat", token: token.trim() }
          : null
        : userId.trim() && password
          ? { kind: "password", userId: userId.trim(), password }
          : null;
    if (!credential) {
      setMissing(true);
      return;
    }
    setMissing(false);
    // The secret is in `credential` only, on its way to Rust; the form keeps no copy.
    setToken("");
    setPassword("");
    signIn.mutate([environment.name, credential]);
  };

  const secretMissing = missing && (method === "pat" ? !token.trim() : !password);

  return (
    <form onSubmit={submit} aria-label={`Sign in to ${environment.name}`} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {environment.baseUrl}
        </Text>
        <SegmentedControl
          aria-label="Sign-in method"
          value={method}
          onChange={(v) => {
            setMethod(v as Method);
            setMissing(false);
            signIn.reset();
          }}
          data={[
            { value: "pat", label: "Access token" },
            { value: "password", label: "User id and password" },
          ]}
        />
        {method === "pat" ? (
          <PasswordInput
            label="Personal access token"
            description="Stored in the OS keychain, never on disk."
            required
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            error={secretMissing ? "Paste a personal access token." : undefined}
          />
        ) : (
          <>
            <TextInput
              label="User id"
              required
              autoComplete="username"
              value={userId}
              onChange={(e) => setUserId(e.currentTarget.value)}
              error={missing && !userId.trim() ? "Give your user id." : undefined}
            />
            <PasswordInput
              label="Password"
              description="Opens a 60-minute session; the password itself is not kept."
              required
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={secretMissing ? "Type your password." : undefined}
            />
          </>
        )}
        {signIn.error && (
          <Alert
            color="red"
            role="alert"
            title={errorTitle(signIn.error, "Could not sign in")}
            data-error-code={signIn.error.code}
          >
            {signIn.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
