#include "db/testing.hpp"

#include "db/session.hpp"

namespace dbaudit::db::testing {

ir::Result<std::string> QueryInIntrospectionSession(const ConnectionSettings& settings,
                                                    const IntrospectOptions& options, const std::string& sql) {
  std::string value;
  const std::optional<ir::Error> error =
      internal::WithReadOnlyTransaction(settings, options, [&](internal::ReadOnlyTransaction& transaction) {
        const pqxx::result rows = transaction.exec(sql);
        if (!rows.empty() && rows.columns() > 0 && !rows[0][0].is_null()) value = rows[0][0].c_str();
      });
  if (error) return *error;
  return value;
}

}  // namespace dbaudit::db::testing
