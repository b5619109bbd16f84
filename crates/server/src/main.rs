use clap::Parser;

#[derive(Parser)]
#[command(
    version,
    about = "Amorphic-compatible reference server for service users"
)]
struct Args {
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: String,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, amorphic_su_server::app()).await
}
