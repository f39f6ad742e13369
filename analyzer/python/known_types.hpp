#pragma once

#include <string>

// What PostgreSQL type a column type of a library becomes, as data: each entry names the
// library and the documented mapping it follows, so the next type has an obvious home.
namespace dbaudit::python {

struct KnownType {
  const char* name;      // the class name as imported ("UUIDType"), the last part of its path
  const char* postgres;  // the type PostgreSQL reports (format_type), "" when it has no fixed one
  const char* source;    // library and the reason for the mapping
};

// The entry for a type name that takes no arguments that change its PostgreSQL type, or
// nullptr. Parametric types (String(n), Numeric(p, s), DateTime(timezone=...), Enum, ARRAY,
// ChoiceType(impl=...)) are read by the model reader itself.
const KnownType* FindKnownType(const std::string& name);

}  // namespace dbaudit::python
