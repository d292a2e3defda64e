//! The MCP side: `initialize`, `tools/list` and `tools/call` over the tools of [`crate::tools`].

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

use crate::args::Args;
use crate::tools::{self, Clients, ToolSpec};

/// The server: the API clients and the tools as `tools/list` shows them.
pub struct Server {
    clients: Clients,
    tools: Vec<Tool>,
}

impl Server {
    /// A server calling the API through `clients`.
    ///
    /// # Errors
    /// When a tool's input schema does not read as a JSON object.
    pub fn new(clients: Clients) -> Result<Self, String> {
        let tools = tools::TOOLS.iter().map(describe).collect::<Result<_, _>>()?;
        Ok(Server { clients, tools })
    }
}

/// A tool as MCP describes it: name, description, input schema and the capability's hints as
/// annotations.
///
/// # Errors
/// When its input schema does not read as a JSON object.
pub fn describe(spec: &ToolSpec) -> Result<Tool, String> {
    let schema: JsonObject = serde_json::from_str(spec.input_schema)
        .map_err(|e| format!("the input schema of tool `{}` does not read: {e}", spec.name))?;
    let mut annotations = ToolAnnotations::new();
    annotations.read_only_hint = spec.read_only;
    annotations.destructive_hint = spec.destructive;
    annotations.idempotent_hint = spec.idempotent;
    annotations.open_world_hint = spec.open_world;
    Ok(Tool::new(spec.name, spec.description, Arc::new(schema)).annotate(annotations))
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")))
            .with_instructions(tools::INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    /// A failed call (a missing argument, an API error) is a tool result with `isError`, which
    /// the model sees; only an unknown tool is a protocol error.
    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = Args::new(request.arguments.unwrap_or_default());
        match tools::call(&self.clients, &request.name, &args).await {
            Some(Ok(answer)) => Ok(CallToolResult::success(vec![ContentBlock::text(answer)]).into()),
            Some(Err(error)) => Ok(CallToolResult::error(vec![ContentBlock::text(error.to_string())]).into()),
            None => Err(ErrorData::invalid_params(format!("there is no tool `{}`", request.name), None)),
        }
    }
}
