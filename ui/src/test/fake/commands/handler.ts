// The shape of a command handler: the generated command's arguments after the fake, its data as
// the answer. Each commands/<feature>.ts holds its feature's handlers.
import type { CommandArgs, CommandData, CommandName } from "../../../ipc";
import type { FakeBackend } from "../backend";

export type CommandHandler<K extends CommandName> = (
  fake: FakeBackend,
  ...args: CommandArgs<K>
) => Promise<CommandData<K>>;

/** One handler per generated command. */
export type CommandHandlers = { [K in CommandName]: CommandHandler<K> };
