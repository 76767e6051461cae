"""What every stage uses and nothing above it: diagnostics with a location and a code, the UI strings, YAML read
with its line numbers, size limits, slugs, the URL scheme check, the progress bar."""
