-- Each feature now creates its own tables from its own folder (cogs/<feature>/migrations,
-- tracked in meta as "feature_schema:<feature>"). In a database made by the migrations before
-- this one, those tables already exist, in their final shape: each feature is recorded as at
-- its first migration (0001, its tables as of this one), so it is not run again and no row
-- changes. A new database skips 0001-0017: it starts from core_tables.sql, and each feature
-- then runs its own 0001.
INSERT INTO meta (key, value) VALUES
    ('feature_schema:accountability', '1'),
    ('feature_schema:affirmations', '1'),
    ('feature_schema:encouragement', '1'),
    ('feature_schema:privacy', '1'),
    ('feature_schema:stories', '1'),
    ('feature_schema:streaks', '1')
ON CONFLICT (key) DO NOTHING;
