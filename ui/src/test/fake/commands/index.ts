// Every command's handler, by feature; `tsc` fails while a generated command has none.
import { appCommands } from "./app";
import { bulkCommands } from "./bulk";
import { datasourceCommands } from "./datasources";
import { diagnosticsCommands } from "./diagnostics";
import { downloadsCommands } from "./downloads";
import { environmentCommands } from "./environments";
import { fleetTokenCommands } from "./fleetTokens";
import type { CommandHandlers } from "./handler";
import { identityCommands } from "./identities";
import { journalCommands } from "./journal";
import { roleCommands } from "./roles";
import { serviceUserCommands } from "./serviceUsers";
import { sessionCommands } from "./session";
import { sharingCommands } from "./sharing";
import { tokenCommands } from "./tokens";
import { updateCommands } from "./updates";
import { userCommands } from "./users";

export const commandHandlers: CommandHandlers = {
  ...appCommands,
  ...sessionCommands,
  ...roleCommands,
  ...environmentCommands,
  ...userCommands,
  ...serviceUserCommands,
  ...sharingCommands,
  ...identityCommands,
  ...journalCommands,
  ...datasourceCommands,
  ...tokenCommands,
  ...fleetTokenCommands,
  ...bulkCommands,
  ...downloadsCommands,
  ...updateCommands,
  ...diagnosticsCommands,
};
