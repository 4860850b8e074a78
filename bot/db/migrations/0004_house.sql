-- Reserved: filled by the feature that owns it (0004_house). An empty migration only bumps the version.
SELECT 1;
