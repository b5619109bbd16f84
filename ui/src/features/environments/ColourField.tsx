import { CheckIcon, ColorSwatch, Group, Input, Text } from "@mantine/core";
import { cssColour, ENVIRONMENT_PALETTE, useRedText } from "./environmentColour";

/** A row of swatches (one button each, pressed when chosen); production forces red. */
export function ColourField({
  value,
  onChange,
  production,
}: {
  value: string;
  onChange: (colour: string) => void;
  production: boolean;
}) {
  const red = useRedText();
  return (
    <Input.Wrapper
      label="Colour"
      id="environment-colour"
      labelElement="div"
      description={
        production
          ? "Production environments are always red."
          : "Shown in the top bar so you always know where you are."
      }
    >
      <Group gap={6} mt={4} role="group" aria-labelledby="environment-colour-label">
        {production ? (
          <ColorSwatch color="var(--mantine-color-red-filled)" aria-hidden size={26} />
        ) : (
          ENVIRONMENT_PALETTE.map((c) => (
            <ColorSwatch
              key={c}
              component="button"
              type="button"
              color={cssColour(c)}
              aria-label={c}
              aria-pressed={value === c}
              onClick={() => onChange(c)}
              size={26}
              style={{ cursor: "pointer", color: "var(--mantine-color-white)" }}
            >
              {value === c && <CheckIcon size={12} />}
            </ColorSwatch>
          ))
        )}
        {production && (
          <Text size="sm" c={red} fw={600}>
            red
          </Text>
        )}
      </Group>
    </Input.Wrapper>
  );
}
