-- Reserved: filled by the feature that owns it (0008_server_setup). An empty migration only bumps the version.
SELECT 1;
