-- Reserved: filled by the feature that owns it (0007_streaks). An empty migration only bumps the version.
SELECT 1;
