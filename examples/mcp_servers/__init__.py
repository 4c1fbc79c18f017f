"""Two offline, deterministic third-party services speaking MCP, for trying codriver's apps and
for its tests: a coffee pre-order service and a parking finder. See ``apps.yaml`` for the
manifests that mount them, and docs/mcp.md."""
