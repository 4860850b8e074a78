-- Reserved: filled by the feature that owns it (0006_encouragement). An empty migration only bumps the version.
SELECT 1;
