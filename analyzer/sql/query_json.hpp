#pragma once

// A read-only JSON tree for libpg_query's parse output, built for the query checker's hot
// path: one flat array of values, strings viewed in place, no per-node allocation. A
// general JSON library spends most of a short query's analysis time building and freeing
// maps. Internal to analyzer/sql.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dbaudit::sql {

class JsonDocument;

class JsonValue {
 public:
  enum class Type : std::uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

  bool is_null() const { return type_ == Type::kNull; }
  bool is_object() const { return type_ == Type::kObject; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_boolean() const { return type_ == Type::kTrue || type_ == Type::kFalse; }
  bool is_number_integer() const { return type_ == Type::kNumber; }
  bool is_structured() const { return is_object() || is_array(); }

  bool boolean() const { return type_ == Type::kTrue; }
  long long integer() const { return number_; }
  std::string_view string() const { return text_; }
  // The member name when this value sits in an object.
  std::string_view key() const { return key_; }

  // Arrays and objects: the elements (objects: the members, each with its key()).
  const JsonValue* begin() const { return children_; }
  const JsonValue* end() const { return children_ + count_; }
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  const JsonValue& operator[](std::size_t index) const { return children_[index]; }
  const JsonValue& back() const { return children_[count_ - 1]; }
  // Objects: the member named `name`, or nullptr.
  const JsonValue* Find(std::string_view name) const;

  static const JsonValue& Null();
  static const JsonValue& EmptyArray();

 private:
  friend class JsonDocument;
  Type type_ = Type::kNull;
  std::uint32_t count_ = 0;
  const JsonValue* children_ = nullptr;
  std::string_view key_;
  std::string_view text_;
  long long number_ = 0;
};

class JsonDocument {
 public:
  // Parses `text` (kept, since strings are views into it). False when it is not JSON.
  bool Parse(std::string text);
  const JsonValue& root() const { return root_ != nullptr ? *root_ : JsonValue::Null(); }

 private:
  // Contiguous room for `count` values that never moves.
  JsonValue* Allocate(std::size_t count);

  std::string text_;
  std::vector<std::unique_ptr<JsonValue[]>> blocks_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
  std::deque<std::string> unescaped_;  // strings that had escapes, decoded
  const JsonValue* root_ = nullptr;
};

// libpg_query's pg_query_parse, its JSON read into a JsonDocument.
struct QueryParse {
  bool ok = false;
  std::unique_ptr<JsonDocument> tree;
  std::string error_message;
  int cursor_position = 0;  // 1-based, in characters (pg_mbstrlen), 0 when none
};
QueryParse ParseQuery(const std::string& sql);

}  // namespace dbaudit::sql
