-- Reserved: filled by the feature that owns it (0003_engine). An empty migration only bumps the version.
SELECT 1;
