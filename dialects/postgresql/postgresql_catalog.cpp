#include "postgresql_catalog.hpp"

namespace retort_postgresql {
namespace {

// pg_constraint's confupdtype/confdeltype as RETORT_REFERENTIAL_* numbers:
// a no action, r restrict, c cascade, n set null, d set default.
std::string rule(std::string_view column) {
  const std::string c(column);
  return "CASE " + c + " WHEN 'c' THEN '1' WHEN 'n' THEN '2' WHEN 'd' THEN '3' WHEN 'r' THEN '4' " +
         "WHEN 'a' THEN '5' END";
}

}  // namespace

std::string reflect_tables_sql(std::string_view schema) {
  return "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
         "JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = " +
         std::string(schema) + " ORDER BY c.relname";
}

std::string reflect_columns_sql(std::string_view relation) {
  // Identity and serial columns count as autoincrement; generated columns
  // are left out.
  return "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
         "CASE WHEN a.attnotnull THEN '0' ELSE '1' END, pg_get_expr(d.adbin, d.adrelid), "
         "col_description(a.attrelid, a.attnum), "
         "CASE WHEN a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%' "
         "THEN '1' ELSE '0' END "
         "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = "
         "a.attnum "
         "WHERE a.attrelid = " +
         std::string(relation) +
         " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum";
}

std::string reflect_constraints_sql(std::string_view relation) {
  // One row per key column; a CHECK has one row, its condition without the
  // CHECK ( ) around it.
  return "SELECT c.contype::text, c.conname, k.n::text, a.attname, NULL, r.relname, ra.attname, " +
         rule("c.confupdtype") + ", " + rule("c.confdeltype") +
         ", CASE WHEN c.contype = 'c' THEN regexp_replace(pg_get_constraintdef(c.oid, true), "
         "'^CHECK \\((.*)\\)$', '\\1') END "
         "FROM pg_constraint c "
         "LEFT JOIN LATERAL unnest(CASE WHEN c.contype <> 'c' THEN c.conkey END) "
         "WITH ORDINALITY AS k(attnum, n) ON true "
         "LEFT JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
         "LEFT JOIN pg_class r ON r.oid = c.confrelid "
         "LEFT JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[k.n] "
         "WHERE c.conrelid = " +
         std::string(relation) +
         " AND c.contype IN ('p', 'u', 'f', 'c') ORDER BY c.contype, c.conname, k.n";
}

std::string reflect_indexes_sql(std::string_view relation) {
  // Indexes that no constraint of the table owns; key columns only (not
  // INCLUDE); an expression's text from pg_get_indexdef.
  return "SELECT ic.relname, CASE WHEN i.indisunique THEN '1' ELSE '0' END, k.n::text, "
         "CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.n::int, true) "
         "ELSE a.attname END, CASE WHEN k.attnum = 0 THEN '1' ELSE '0' END, "
         "pg_get_expr(i.indpred, i.indrelid) "
         "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
         "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) "
         "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
         "WHERE i.indrelid = " +
         std::string(relation) +
         " AND k.n <= i.indnkeyatts AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
         "WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
         "AND c.contype IN ('p', 'u', 'x')) ORDER BY ic.relname, k.n";
}

}  // namespace retort_postgresql
