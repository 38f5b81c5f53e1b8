// PostgreSQL's catalog queries for autogenerate (ABI 1.3's REFLECT_*), read
// from pg_catalog: format_type() keeps a type's modifiers ("character
// varying(30)"), pg_get_expr() the defaults, col_description() and
// obj_description() the comments, pg_constraint the keys and checks.
#ifndef RETORT_DIALECTS_POSTGRESQL_CATALOG_HPP
#define RETORT_DIALECTS_POSTGRESQL_CATALOG_HPP

#include <string>
#include <string_view>

namespace retort_postgresql {

// `schema` is an SQL expression naming the schema (a literal, or
// current_schema()); `relation` the table's OID as SQL ('"t"'::regclass).
std::string reflect_tables_sql(std::string_view schema);
std::string reflect_columns_sql(std::string_view relation);
std::string reflect_constraints_sql(std::string_view relation);
std::string reflect_indexes_sql(std::string_view relation);

}  // namespace retort_postgresql

#endif  // RETORT_DIALECTS_POSTGRESQL_CATALOG_HPP
