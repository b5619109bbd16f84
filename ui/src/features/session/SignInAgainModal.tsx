import { Modal } from "@mantine/core";
import { notifySuccess } from "../../app/notify";
import type { EnvironmentView } from "../../gen/bindings";
import type { SignInCredential } from "../../ipc";
import { closeButtonProps } from "../environments/environmentColour";
import { SignInForm } from "../environments/SignInForm";

/**
 * Signing in again to the current environment without leaving the window: before the session
 * ends, or with another credential (a PAT fixes the role; a password sign-in may switch it).
 */
export function SignInAgainModal({
  environment,
  opened,
  onClose,
  title,
  initialMethod,
}: {
  environment: EnvironmentView;
  opened: boolean;
  onClose: () => void;
  title: string;
  initialMethod: SignInCredential["kind"];
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={closeButtonProps}>
      <SignInForm
        environment={environment}
        initialMethod={initialMethod}
        onSignedIn={() => {
          onClose();
          notifySuccess(`Signed in to ${environment.name} again.`);
        }}
        onCancel={onClose}
      />
    </Modal>
  );
}
