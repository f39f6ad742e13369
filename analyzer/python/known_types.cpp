#include "analyzer/python/known_types.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace dbaudit::python {

namespace {

// Sorted by name (FindKnownType searches it by bisection; a unit test checks the order).
constexpr std::array kKnownTypes = {
    KnownType{"ArrowType", "timestamp without time zone", "sqlalchemy_utils: impl DateTime"},
    KnownType{"BIGINT", "bigint", "sqlalchemy"},
    KnownType{"BINARY", "public.binary",
              "sqlalchemy: renders as BINARY, a type PostgreSQL has only when the database defines it (a domain found "
              "on the search path)"},
    KnownType{"BLOB", "public.blob",
              "sqlalchemy: renders as BLOB, a type PostgreSQL has only when the database defines it (a domain found on "
              "the search path)"},
    KnownType{"BOOLEAN", "boolean", "sqlalchemy"},
    KnownType{"BYTEA", "bytea", "sqlalchemy.dialects.postgresql"},
    KnownType{"BigInteger", "bigint", "sqlalchemy"},
    KnownType{"Binary", "bytea", "sqlalchemy before 1.4: the former name of LargeBinary"},
    KnownType{"Boolean", "boolean", "sqlalchemy"},
    KnownType{"CIDR", "cidr", "sqlalchemy.dialects.postgresql"},
    KnownType{"CITEXT", "public.citext", "sqlalchemy-citext / postgresql: the citext extension's type"},
    KnownType{"CLOB", "public.clob",
              "sqlalchemy: renders as CLOB, a type PostgreSQL has only when the database defines it (a domain found on "
              "the search path)"},
    KnownType{"CiText", "public.citext", "sqlalchemy-citext"},
    KnownType{"ColorType", "character varying(20)", "sqlalchemy_utils: impl String(20)"},
    KnownType{"CountryType", "character varying(2)", "sqlalchemy_utils: impl String(2)"},
    KnownType{"CurrencyType", "character varying(3)", "sqlalchemy_utils: impl String(3)"},
    KnownType{"DATE", "date", "sqlalchemy"},
    KnownType{"DATERANGE", "daterange", "sqlalchemy.dialects.postgresql"},
    KnownType{"DOUBLE", "double precision", "sqlalchemy"},
    KnownType{"DOUBLE_PRECISION", "double precision", "sqlalchemy.dialects.postgresql"},
    KnownType{"Date", "date", "sqlalchemy"},
    KnownType{"DateRangeType", "daterange", "sqlalchemy_utils: postgresql DATERANGE"},
    KnownType{"DateTimeRangeType", "tsrange", "sqlalchemy_utils: postgresql TSRANGE"},
    KnownType{"Double", "double precision", "sqlalchemy 2.0"},
    KnownType{"EmailType", "character varying(255)", "sqlalchemy_utils: impl Unicode(255)"},
    KnownType{"HSTORE", "public.hstore", "sqlalchemy.dialects.postgresql: the hstore extension's type"},
    KnownType{"INET", "inet", "sqlalchemy.dialects.postgresql"},
    KnownType{"INT", "integer", "sqlalchemy"},
    KnownType{"INT4RANGE", "int4range", "sqlalchemy.dialects.postgresql"},
    KnownType{"INT8RANGE", "int8range", "sqlalchemy.dialects.postgresql"},
    KnownType{"INTEGER", "integer", "sqlalchemy"},
    KnownType{"INTERVAL", "interval", "sqlalchemy.dialects.postgresql"},
    KnownType{"IPAddressType", "character varying(50)", "sqlalchemy_utils: impl Unicode(50)"},
    KnownType{"IntRangeType", "int4range", "sqlalchemy_utils: postgresql INT4RANGE"},
    KnownType{"Integer", "integer", "sqlalchemy"},
    KnownType{"Interval", "interval", "sqlalchemy: native INTERVAL on PostgreSQL"},
    KnownType{"JSON", "json", "sqlalchemy"},
    KnownType{"JSONB", "jsonb", "sqlalchemy.dialects.postgresql"},
    KnownType{"JSONType", "json", "sqlalchemy_utils: postgresql JSON on PostgreSQL"},
    KnownType{"LargeBinary", "bytea", "sqlalchemy"},
    KnownType{"LocaleType", "character varying(10)", "sqlalchemy_utils: impl Unicode(10)"},
    KnownType{"LtreeType", "public.ltree", "sqlalchemy_utils: the ltree extension's type"},
    KnownType{"MACADDR", "macaddr", "sqlalchemy.dialects.postgresql"},
    KnownType{"MACADDR8", "macaddr8", "sqlalchemy.dialects.postgresql"},
    KnownType{"MONEY", "money", "sqlalchemy.dialects.postgresql"},
    KnownType{"NUMRANGE", "numrange", "sqlalchemy.dialects.postgresql"},
    KnownType{"NumericRangeType", "numrange", "sqlalchemy_utils: postgresql NUMRANGE"},
    KnownType{"OID", "oid", "sqlalchemy.dialects.postgresql"},
    KnownType{"PhoneNumberType", "character varying(20)", "sqlalchemy_utils: impl Unicode(20)"},
    KnownType{"PickleType", "bytea", "sqlalchemy: impl LargeBinary"},
    KnownType{"REAL", "real", "sqlalchemy"},
    KnownType{"SMALLINT", "smallint", "sqlalchemy"},
    KnownType{"ScalarListType", "text", "sqlalchemy_utils: impl UnicodeText"},
    KnownType{"SmallInteger", "smallint", "sqlalchemy"},
    KnownType{"TEXT", "text", "sqlalchemy"},
    KnownType{"TSQUERY", "tsquery", "sqlalchemy.dialects.postgresql"},
    KnownType{"TSRANGE", "tsrange", "sqlalchemy.dialects.postgresql"},
    KnownType{"TSTZRANGE", "tstzrange", "sqlalchemy.dialects.postgresql"},
    KnownType{"TSVECTOR", "tsvector", "sqlalchemy.dialects.postgresql"},
    KnownType{"TSVectorType", "tsvector", "sqlalchemy_utils: postgresql TSVECTOR"},
    KnownType{"Text", "text", "sqlalchemy"},
    KnownType{"TimezoneType", "character varying(50)", "sqlalchemy_utils: impl Unicode(50)"},
    KnownType{"URLType", "text", "sqlalchemy_utils: impl UnicodeText"},
    KnownType{"UUID", "uuid", "sqlalchemy / sqlalchemy.dialects.postgresql"},
    KnownType{"UUIDType", "uuid",
              "sqlalchemy_utils: native postgresql UUID on PostgreSQL (binary= only matters elsewhere)"},
    KnownType{"UnicodeText", "text", "sqlalchemy"},
    KnownType{"UtcDateTime", "timestamp with time zone", "sqlalchemy_utc: impl DateTime(timezone=True)"},
    KnownType{"Uuid", "uuid", "sqlalchemy 2.0: native uuid on PostgreSQL"},
    KnownType{"VARBINARY", "public.varbinary",
              "sqlalchemy: renders as VARBINARY, a type PostgreSQL has only when the database defines it (a domain "
              "found on the search path)"},
    KnownType{"WeekDaysType", "bit(7)", "sqlalchemy_utils: impl BitType(7)"},
};

bool NameLess(const KnownType& entry, const std::string& name) {
  return std::strcmp(entry.name, name.c_str()) < 0;
}

}  // namespace

const KnownType* FindKnownType(const std::string& name) {
  auto it = std::lower_bound(kKnownTypes.begin(), kKnownTypes.end(), name, NameLess);
  if (it == kKnownTypes.end() || name != it->name) return nullptr;
  return &*it;
}

}  // namespace dbaudit::python
