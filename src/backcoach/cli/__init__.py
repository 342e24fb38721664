"""The command line: parse, call the service layer, render with Rich."""
