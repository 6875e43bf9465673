"""Application services around the engine: used by web views, the API and the CLI."""
