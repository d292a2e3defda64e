//! An MCP server, over stdio, for the tools of a Naftiko capability: each tool calls one
//! operation of the API through the typed client in `client/`.
//!
//! The API token is read from the environment variable the capability binds (see
//! [`tools::Clients::from_env`]) and is never printed. `--base-url URL` sends every request to
//! `URL` instead of the capability's `baseUri` (a proxy, a mock, another region).

mod args;
mod server;
mod tools;

use std::process::ExitCode;

use rmcp::ServiceExt;

/// What `--help` prints.
const USAGE: &str = concat!(
    "Usage: ",
    env!("CARGO_PKG_NAME"),
    " [--base-url URL]\n\n",
    "Serves the tools of the capability over MCP on stdin and stdout (newline-delimited JSON-RPC).\n\n",
    "Options:\n",
    "  --base-url URL  send requests to URL instead of the capability's baseUri\n",
    "  -h, --help      print this help\n",
);

/// What the command line asks for.
enum Command {
    /// Serve, with requests going to this base URL if given.
    Serve(Option<String>),
    /// Print the usage.
    Help,
}

/// Read the command line (without the program name).
fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut base_url = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--base-url" => match args.next() {
                Some(url) => base_url = Some(url),
                None => return Err("`--base-url` needs a URL".into()),
            },
            other => match other.strip_prefix("--base-url=") {
                Some(url) => base_url = Some(url.to_string()),
                None => return Err(format!("unexpected argument `{other}`")),
            },
        }
    }
    Ok(Command::Serve(base_url))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let base_url = match parse(std::env::args().skip(1)) {
        Ok(Command::Serve(base_url)) => base_url,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprint!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = match tools::Clients::from_env(base_url.as_deref()).and_then(server::Server::new) {
        Ok(server) => server,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let running = match server.serve(rmcp::transport::stdio()).await {
        Ok(running) => running,
        Err(e) => {
            eprintln!("error: the MCP session did not start: {e}");
            return ExitCode::from(1);
        }
    };
    match running.waiting().await {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the MCP session ended abnormally: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn the_command_line_takes_a_base_url_and_nothing_else() {
        assert!(matches!(parse(args(&[])), Ok(Command::Serve(None))));
        assert!(matches!(parse(args(&["--base-url", "http://x"])), Ok(Command::Serve(Some(u))) if u == "http://x"));
        assert!(matches!(parse(args(&["--base-url=http://y"])), Ok(Command::Serve(Some(u))) if u == "http://y"));
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        assert!(parse(args(&["--base-url"])).is_err());
        assert!(parse(args(&["--token", "t"])).is_err());
    }

    #[test]
    fn every_tool_describes_itself() {
        for spec in tools::TOOLS {
            let tool = server::describe(spec).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(tool.name, spec.name);
            assert_eq!(tool.input_schema.get("type"), Some(&serde_json::json!("object")));
        }
    }
}
