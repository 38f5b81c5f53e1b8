// Reads what the database holds into a Schema: each table through the
// dialect's catalog queries (RETORT_OP_REFLECT_*, whose rows abi.h lays
// out), or, where a dialect has none, through ODBC's catalog functions
// turned into rows of the same layout. One reader turns rows into tables.
#ifndef RETORT_REFLECTION_HPP
#define RETORT_REFLECTION_HPP

#include <retort/autogenerate.hpp>
#include <retort/error.hpp>
#include <retort/sink.hpp>

#include "db/odbc_connection.hpp"
#include "plugin/host_dialect.hpp"

#include <functional>
#include <optional>
#include <string>

namespace retort::autogenerate {

// The rows of REFLECT_COLUMNS, REFLECT_CONSTRAINTS and REFLECT_INDEXES of
// one table, as one TableInfo. A constraint's rows follow each other; a
// new one starts where the kind or the name changes or the position does
// not grow.
Expected<TableInfo> table_from_rows(const std::string& name, std::optional<std::string> comment,
                                    const Rows& columns, const Rows& constraints,
                                    const Rows& indexes);

// ODBC's catalog rows in the layout of the dialect queries.
Rows odbc_tables_as_rows(const Rows& tables);
Rows odbc_columns_as_rows(const Rows& columns);
Rows odbc_keys_as_rows(const Rows& primary_keys, const Rows& foreign_keys);
Rows odbc_statistics_as_rows(const Rows& statistics, const Rows& primary_keys);

// Every base table of the default schema, or of `schema`, for which
// `include` says yes. The tables of a named schema carry its name; ODBC's
// catalog functions (a dialect without queries) read the default one only.
Expected<Schema> reflect_schema(const Dialect& dialect, OdbcConnection& connection,
                                const std::function<bool(const std::string&)>& include,
                                const std::optional<std::string>& schema = std::nullopt);

}  // namespace retort::autogenerate

#endif  // RETORT_REFLECTION_HPP
