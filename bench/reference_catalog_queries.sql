-- The reference for live introspection: the bulk catalog queries a careful hand-written
-- introspector runs (one per kind of fact, whatever the schema size), in one read-only
-- transaction, deparsing with the server's pg_get_* functions. bench/run.sh times
-- `psql -X -q -A -t -f reference_catalog_queries.sql -o /dev/null` against dbaudit.
\set ON_ERROR_STOP on
BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL statement_timeout = '300s';
SET LOCAL lock_timeout = '5s';

-- 1. tables, views, materialized views, partitioned and foreign tables
SELECT n.nspname, c.relname, c.relkind, c.relispartition, obj_description(c.oid, 'pg_class')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1, 2;

-- 2. columns with type, nullability, default, identity, generation and comment
SELECT n.nspname, c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
       a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
       col_description(c.oid, a.attnum)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1, 2, 3;

-- 3. constraints: primary keys, unique, foreign keys (with actions), checks, exclusions
SELECT n.nspname, c.relname, con.conname, con.contype, con.conkey, fn.nspname, fc.relname,
       con.confkey, con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred,
       pg_get_constraintdef(con.oid, true)
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1, 2, 3;

-- 4. indexes: key columns, uniqueness, predicate, full definition
SELECT n.nspname, c.relname, ic.relname, i.indisunique, i.indisprimary, i.indkey,
       pg_get_expr(i.indpred, i.indrelid), pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY 1, 2, 3;

-- 5. user triggers and the functions they call
SELECT n.nspname, c.relname, t.tgname, p.proname, t.tgenabled, pg_get_triggerdef(t.oid, true)
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2, 3;

-- 6. every comment on a user relation or column, in one pass
SELECT n.nspname, c.relname, d.objsubid, d.description
FROM pg_description d
JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2, 3;

-- 7. enum types and their labels in declaration order
SELECT n.nspname, t.typname, e.enumsortorder, e.enumlabel
FROM pg_enum e
JOIN pg_type t ON t.oid = e.enumtypid
JOIN pg_namespace n ON n.oid = t.typnamespace
ORDER BY 1, 2, 3;

COMMIT;
