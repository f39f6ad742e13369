#include "analyzer/ir/catalog.hpp"

#include <algorithm>
#include <sstream>
#include <tuple>
#include <utility>

namespace dbaudit::ir {

const char* ToString(CatalogOrigin origin) {
  switch (origin) {
    case CatalogOrigin::kModels: return "models";
    case CatalogOrigin::kDatabase: return "database";
    case CatalogOrigin::kDump: return "dump";
    case CatalogOrigin::kDocument: return "document";
    case CatalogOrigin::kSnapshot: return "snapshot";
  }
  return "unknown";
}

const char* ToSql(ReferentialAction action) {
  switch (action) {
    case ReferentialAction::kUnspecified:
    case ReferentialAction::kNoAction: return "NO ACTION";
    case ReferentialAction::kRestrict: return "RESTRICT";
    case ReferentialAction::kCascade: return "CASCADE";
    case ReferentialAction::kSetNull: return "SET NULL";
    case ReferentialAction::kSetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

const char* ToString(TableKind kind) {
  switch (kind) {
    case TableKind::kTable: return "table";
    case TableKind::kPartitionedTable: return "partitioned table";
    case TableKind::kView: return "view";
    case TableKind::kMaterializedView: return "materialized view";
    case TableKind::kForeignTable: return "foreign table";
  }
  return "table";
}

const Column* Table::FindColumn(const std::string& column_name) const {
  for (const auto& column : columns) {
    if (column.name == column_name) return &column;
  }
  return nullptr;
}

Column* Table::FindColumn(const std::string& column_name) {
  return const_cast<Column*>(std::as_const(*this).FindColumn(column_name));
}

const Table* Catalog::FindTable(const std::string& schema, const std::string& name) const {
  for (const auto& table : tables) {
    if (table.schema == schema && table.name == name) return &table;
  }
  return nullptr;
}

Table* Catalog::FindTable(const std::string& schema, const std::string& name) {
  return const_cast<Table*>(std::as_const(*this).FindTable(schema, name));
}

const EnumType* Catalog::FindEnum(const std::string& schema, const std::string& name) const {
  for (const auto& enum_type : enums) {
    if (enum_type.schema == schema && enum_type.name == name) return &enum_type;
  }
  return nullptr;
}

namespace {

template <typename T>
void SortByName(std::vector<T>& items) {
  std::stable_sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.name < b.name; });
}

}  // namespace

void Catalog::Normalize() {
  for (auto& table : tables) {
    std::stable_sort(table.foreign_keys.begin(), table.foreign_keys.end(), [](const auto& a, const auto& b) {
      return std::tie(a.name, a.columns, a.referenced_table) < std::tie(b.name, b.columns, b.referenced_table);
    });
    std::stable_sort(
        table.unique_constraints.begin(), table.unique_constraints.end(),
        [](const auto& a, const auto& b) { return std::tie(a.name, a.columns) < std::tie(b.name, b.columns); });
    std::stable_sort(table.check_constraints.begin(), table.check_constraints.end(), [](const auto& a, const auto& b) {
      return std::tie(a.name, a.expression) < std::tie(b.name, b.expression);
    });
    std::stable_sort(table.indexes.begin(), table.indexes.end(),
                     [](const auto& a, const auto& b) { return std::tie(a.name, a.keys) < std::tie(b.name, b.keys); });
    SortByName(table.triggers);
    for (auto& trigger : table.triggers) std::sort(trigger.events.begin(), trigger.events.end());
    std::sort(table.mapped_by.begin(), table.mapped_by.end());
  }
  std::stable_sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
  std::stable_sort(enums.begin(), enums.end(), [](const EnumType& a, const EnumType& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
  std::stable_sort(sequences.begin(), sequences.end(), [](const Sequence& a, const Sequence& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
  std::stable_sort(functions.begin(), functions.end(), [](const Function& a, const Function& b) {
    return std::tie(a.schema, a.name, a.arguments) < std::tie(b.schema, b.name, b.arguments);
  });
}

namespace {

// Collects differences as text; SameSchema is "no differences".
class Differ {
 public:
  std::ostringstream out;

  template <typename T>
  void Field(const std::string& where, const char* field, const T& a, const T& b) {
    if (a != b) out << where << ": " << field << " differs\n";
  }
  void Field(const std::string& where, const char* field, const std::string& a, const std::string& b) {
    if (a != b) out << where << ": " << field << " '" << a << "' vs '" << b << "'\n";
  }
  void Field(const std::string& where, const char* field, const std::optional<std::string>& a,
             const std::optional<std::string>& b) {
    if (a != b)
      out << where << ": " << field << " '" << a.value_or("<none>") << "' vs '" << b.value_or("<none>") << "'\n";
  }
  void Field(const std::string& where, const char* field, const std::vector<std::string>& a,
             const std::vector<std::string>& b) {
    if (a != b) out << where << ": " << field << " [" << Join(a) << "] vs [" << Join(b) << "]\n";
  }

  static std::string Join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
  }

  void Columns(const std::string& where, const Column& a, const Column& b) {
    Field(where, "type", a.type, b.type);
    Field(where, "nullable", a.nullable, b.nullable);
    Field(where, "default", a.server_default, b.server_default);
    Field(where, "identity", a.identity, b.identity);
    Field(where, "generated", a.generated, b.generated);
    Field(where, "comment", a.comment, b.comment);
  }

  void Tables(const Table& a, const Table& b) {
    const std::string where = a.QualifiedName();
    Field(where, "kind", a.kind, b.kind);
    Field(where, "comment", a.comment, b.comment);
    Field(where, "view definition", a.view_definition, b.view_definition);
    const bool is_view = a.kind == TableKind::kView || a.kind == TableKind::kMaterializedView;
    if (!is_view && a.columns.size() != b.columns.size()) out << where << ": column count differs\n";
    for (size_t i = 0; !is_view && i < std::min(a.columns.size(), b.columns.size()); ++i) {
      Field(where, "column name", a.columns[i].name, b.columns[i].name);
      Columns(where + "." + a.columns[i].name, a.columns[i], b.columns[i]);
    }
    Field(where, "primary key", a.primary_key.has_value(), b.primary_key.has_value());
    if (a.primary_key && b.primary_key) {
      Field(where, "primary key name", a.primary_key->name, b.primary_key->name);
      Field(where, "primary key columns", a.primary_key->columns, b.primary_key->columns);
    }
    Lists(where + " foreign key", a.foreign_keys, b.foreign_keys,
          [&](const std::string& w, const auto& x, const auto& y) {
            Field(w, "name", x.name, y.name);
            Field(w, "columns", x.columns, y.columns);
            Field(w, "referenced table", x.referenced_schema + "." + x.referenced_table,
                  y.referenced_schema + "." + y.referenced_table);
            Field(w, "referenced columns", x.referenced_columns, y.referenced_columns);
            Field(w, "on delete", std::string(ToSql(x.on_delete)), std::string(ToSql(y.on_delete)));
            Field(w, "on update", std::string(ToSql(x.on_update)), std::string(ToSql(y.on_update)));
            Field(w, "deferrable", x.deferrable, y.deferrable);
            Field(w, "initially deferred", x.initially_deferred, y.initially_deferred);
          });
    Lists(where + " unique", a.unique_constraints, b.unique_constraints,
          [&](const std::string& w, const auto& x, const auto& y) {
            Field(w, "name", x.name, y.name);
            Field(w, "columns", x.columns, y.columns);
          });
    Lists(where + " check", a.check_constraints, b.check_constraints,
          [&](const std::string& w, const auto& x, const auto& y) {
            Field(w, "name", x.name, y.name);
            Field(w, "expression", x.expression, y.expression);
          });
    Lists(where + " index", a.indexes, b.indexes, [&](const std::string& w, const auto& x, const auto& y) {
      Field(w, "name", x.name, y.name);
      Field(w, "keys", x.keys, y.keys);
      Field(w, "unique", x.unique, y.unique);
      Field(w, "method", x.method, y.method);
      Field(w, "predicate", x.predicate, y.predicate);
      Field(w, "include", x.include, y.include);
      Field(w, "valid", x.valid, y.valid);
    });
    Lists(where + " trigger", a.triggers, b.triggers, [&](const std::string& w, const auto& x, const auto& y) {
      Field(w, "name", x.name, y.name);
      Field(w, "timing", x.timing, y.timing);
      Field(w, "events", x.events, y.events);
      Field(w, "for each row", x.for_each_row, y.for_each_row);
      Field(w, "function", x.function_schema + "." + x.function_name, y.function_schema + "." + y.function_name);
      Field(w, "when", x.when, y.when);
      Field(w, "arguments", x.arguments, y.arguments);
    });
  }

  template <typename T, typename Compare>
  void Lists(const std::string& where, const std::vector<T>& a, const std::vector<T>& b, Compare compare) {
    if (a.size() != b.size()) out << where << ": count " << a.size() << " vs " << b.size() << "\n";
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) compare(where + " #" + std::to_string(i + 1), a[i], b[i]);
  }
};

}  // namespace

std::string DescribeSchemaDifferences(const Catalog& a, const Catalog& b) {
  Differ differ;
  for (const auto& table : a.tables) {
    const Table* other = b.FindTable(table.schema, table.name);
    if (!other) {
      differ.out << table.QualifiedName() << ": only in the first catalog\n";
      continue;
    }
    differ.Tables(table, *other);
  }
  for (const auto& table : b.tables) {
    if (!a.FindTable(table.schema, table.name)) differ.out << table.QualifiedName() << ": only in the second catalog\n";
  }
  differ.Lists("enum", a.enums, b.enums, [&](const std::string& w, const auto& x, const auto& y) {
    differ.Field(w, "name", x.schema + "." + x.name, y.schema + "." + y.name);
    differ.Field(w, "labels", x.labels, y.labels);
  });
  differ.Lists("sequence", a.sequences, b.sequences, [&](const std::string& w, const auto& x, const auto& y) {
    differ.Field(w, "name", x.schema + "." + x.name, y.schema + "." + y.name);
    differ.Field(w, "owned by", x.owned_by_table + "." + x.owned_by_column, y.owned_by_table + "." + y.owned_by_column);
  });
  differ.Lists("function", a.functions, b.functions, [&](const std::string& w, const auto& x, const auto& y) {
    differ.Field(w, "name", x.schema + "." + x.name + "(" + x.arguments + ")",
                 y.schema + "." + y.name + "(" + y.arguments + ")");
    differ.Field(w, "language", x.language, y.language);
    differ.Field(w, "returns", x.returns, y.returns);
    differ.Field(w, "body", x.body, y.body);
  });
  return differ.out.str();
}

bool SameSchema(const Catalog& a, const Catalog& b) {
  return DescribeSchemaDifferences(a, b).empty();
}

}  // namespace dbaudit::ir
