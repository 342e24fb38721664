"""The browser app: a JSON API and server-rendered pages over the same service layer as the CLI."""
