-- Reserved: filled by the feature that owns it (0005_stories). An empty migration only bumps the version.
SELECT 1;
