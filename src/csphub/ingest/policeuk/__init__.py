"""data.police.uk street, outcomes and stop-and-search files: their checks."""
