// A button the policy may forbid: then it stays visible, disabled, with the reason on hover and
// as its accessible description (never hidden). The element stays the same when the reason comes
// and goes, so focus is not lost.
import { Button, type ButtonProps, Tooltip, VisuallyHidden } from "@mantine/core";
import { type MouseEvent, useId } from "react";

export type GuardedButtonProps = ButtonProps & {
  /** Why the action is not allowed now; null or undefined: allowed. */
  reason?: string | null;
  onClick?: (e: MouseEvent<HTMLButtonElement>) => void;
  type?: "button" | "submit";
  "aria-label"?: string;
};

export function GuardedButton({ reason, onClick, children, type = "button", ...props }: GuardedButtonProps) {
  const id = useId();
  return (
    <>
      <Tooltip label={reason} disabled={!reason} multiline w={280} withArrow>
        <Button
          type={reason ? "button" : type}
          {...props}
          data-disabled={reason ? true : undefined}
          aria-disabled={reason ? true : undefined}
          aria-describedby={reason ? id : undefined}
          onClick={(e) => (reason ? e.preventDefault() : onClick?.(e))}
        >
          {children}
        </Button>
      </Tooltip>
      {reason && <VisuallyHidden id={id}>{reason}</VisuallyHidden>}
    </>
  );
}
