-- Reserved: another branch of the same change adds migration 0016; drop this file when it is merged.
SELECT 1;
