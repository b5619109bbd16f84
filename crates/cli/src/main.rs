use clap::Parser;

/// Manage and assume Amorphic service users from the command line.
#[derive(Parser)]
#[command(name = "amorphic-su", version)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
