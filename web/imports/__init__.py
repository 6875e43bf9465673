"""Import wizard pages (information officers and administrators): upload, map, preview, dry run, duplicates,
import with progress, outcome file, undo."""
