/** The text of `countersign-mcp --help`. */
export const USAGE = `countersign-mcp: human approval for MCP tools (Countersign)

Usage:
  countersign-mcp serve [--http [--port N] [--host H]] [--max-wait 50s] [--public-url URL]
      An MCP server with human tools: request_approval, ask_human, collect_input, check_request.

  countersign-mcp proxy [--policy FILE] [options] -- <upstream command and args>
  countersign-mcp proxy [--policy FILE] [options] --upstream-url http://HOST:PORT/mcp
  countersign-mcp proxy [--policy FILE] [options] --config servers.json
      Re-exposes the upstream MCP server's tools and asks a human before risky calls.
      Without --policy: tools annotated readOnlyHint pass, everything else needs approval.

Options:
  --policy FILE              Countersign policy (YAML or JSON).
  --policy server:NAME       The central policy NAME, followed live from COUNTERSIGN_URL
                             (COUNTERSIGN_POLICY_CACHE=FILE: run its last copy if the server is down).
  --config FILE              Upstreams: {"mcpServers": {"name": {"command", "args", "env"} | {"url"}}};
                             with two or more, their tools are exposed as name__tool;
                             a single upstream keeps its tool names unprefixed.
  --name NAME                The upstream's name for --upstream-url or a command (default "upstream").
  --state FILE               Remember pending calls in this JSON file, so a restarted proxy can finish them.
  --max-wait DURATION        Wait this long for a human per call before answering "pending" (default 50s).
  --progress-interval DUR    Progress notifications while waiting (default 10s).
  --elicit                   Ask the user in the client (MCP elicitation) instead of the server, when it can.
  --elicit-first             Ask the user in the client first, then the server.
  --public-url URL           The dashboard's public address: clients with URL elicitation are offered
                             a pending request's page (also COUNTERSIGN_PUBLIC_URL).
  --http [--port N] [--host H]  Serve Streamable HTTP at http://H:N/mcp instead of stdio (default 127.0.0.1).
  --metrics-port N           Serve Prometheus GET /metrics at http://127.0.0.1:N/metrics (gate counts, latency).
  --log-format text|json     Logs as prefixed lines (default) or pino JSON lines, one per call too.
  --log-level LEVEL          debug, info (default), warn, error or silent.

Environment: COUNTERSIGN_URL, COUNTERSIGN_API_KEY (the Countersign server and an agent key);
OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables) to export traces over OTLP/HTTP.
Logs go to stderr; stdout carries only MCP.
`;
