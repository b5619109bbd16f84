// The server's rules for a new service user (docs/api.md, crates/model/src/ids.rs), checked
// before sending so the form says what is wrong next to the field. The figures are generated
// from the model (`CONTRACT` in the bindings), never retyped.
import { CONTRACT } from "../../../gen/bindings";

/** `UserId`: 3-64 characters of `[A-Za-z0-9._-]`. */
export const USER_ID_PATTERN = new RegExp(CONTRACT.userIdPattern);
const USER_ID_MIN = CONTRACT.userIdMinLength;
const USER_ID_MAX = CONTRACT.userIdMaxLength;
export const DISPLAY_NAME_MAX = CONTRACT.displayNameMaxChars;
export const DESCRIPTION_MAX = CONTRACT.descriptionMaxChars;
export const EXPIRY_MIN = CONTRACT.expiryMinutesMin;
export const EXPIRY_MAX = CONTRACT.expiryMinutesMax;
// C0, DEL and C1 control characters (the server's text rule).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

export function validateUserId(value: string): string | null {
  const v = value.trim();
  if (v.length === 0) return "Enter an id";
  if (v.length < USER_ID_MIN || v.length > USER_ID_MAX)
    return `The id must be ${USER_ID_MIN}-${USER_ID_MAX} characters long`;
  if (!USER_ID_PATTERN.test(v)) return "Use only letters, digits, dot, underscore and hyphen";
  return null;
}

export function validateDisplayName(value: string): string | null {
  const v = value.trim();
  if (v.length === 0) return "Enter a display name";
  if ([...v].length > DISPLAY_NAME_MAX) return `At most ${DISPLAY_NAME_MAX} characters`;
  if (CONTROL.test(v)) return "No control characters";
  return null;
}

export function validateDescription(value: string): string | null {
  if ([...value].length > DESCRIPTION_MAX) return `At most ${DESCRIPTION_MAX} characters`;
  if (CONTROL.test(value)) return "No control characters (line breaks included)";
  return null;
}

/** Assume expiry: a whole number of minutes from 1 to 180. */
export function validateMinutes(value: number | string): string | null {
  const n = typeof value === "number" ? value : Number(value);
  if (value === "" || !Number.isInteger(n) || n < EXPIRY_MIN || n > EXPIRY_MAX)
    return `A whole number of minutes from ${EXPIRY_MIN} to ${EXPIRY_MAX}`;
  return null;
}
