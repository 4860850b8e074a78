-- Reserved: another branch of the same change adds migration 0015; drop this file when it is merged.
SELECT 1;
