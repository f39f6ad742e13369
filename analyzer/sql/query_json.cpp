#include "analyzer/sql/query_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <pg_query.h>

namespace dbaudit::sql {

const JsonValue& JsonValue::Null() {
  static const JsonValue null_value;
  return null_value;
}

const JsonValue& JsonValue::EmptyArray() {
  static const JsonValue empty = [] {
    JsonValue value;
    value.type_ = Type::kArray;
    return value;
  }();
  return empty;
}

const JsonValue* JsonValue::Find(std::string_view name) const {
  if (type_ != Type::kObject) return nullptr;
  for (const JsonValue& member : *this) {
    if (member.key_ == name) return &member;
  }
  return nullptr;
}

namespace {

void AppendUtf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xc0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xe0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

unsigned Hex4(std::string_view text, std::size_t at) {
  unsigned code = 0;
  for (std::size_t k = 0; k < 4 && at + k < text.size(); ++k) {
    const char c = text[at + k];
    code <<= 4;
    if (c >= '0' && c <= '9') code |= static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') code |= static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') code |= static_cast<unsigned>(c - 'A' + 10);
  }
  return code;
}

}  // namespace

JsonValue* JsonDocument::Allocate(std::size_t count) {
  if (blocks_.empty() || block_used_ + count > block_size_) {
    block_size_ = std::max<std::size_t>(count, 256);
    blocks_.push_back(std::make_unique<JsonValue[]>(block_size_));
    block_used_ = 0;
  }
  JsonValue* values = blocks_.back().get() + block_used_;
  block_used_ += count;
  return values;
}

// Iterative (the parser's trees can be deep): values are collected on a scratch stack and a
// container's children are copied into one block of the arena when it closes, so each
// container's children are contiguous and never move.
bool JsonDocument::Parse(std::string text) {
  text_ = std::move(text);
  const std::string_view s = text_;
  std::vector<JsonValue> scratch;
  struct Open {
    std::size_t container;  // index in scratch
    std::size_t first_child;
  };
  std::vector<Open> open;
  std::string_view pending_key;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
  };
  auto read_string = [&](std::string_view& out) -> bool {
    // s[i] == '"'
    const std::size_t start = ++i;
    bool escaped = false;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\') {
        escaped = true;
        ++i;
      }
      ++i;
    }
    if (i >= s.size()) return false;
    const std::string_view raw = s.substr(start, i - start);
    ++i;
    if (!escaped) {
      out = raw;
      return true;
    }
    std::string decoded;
    decoded.reserve(raw.size());
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] != '\\' || k + 1 >= raw.size()) {
        decoded += raw[k];
        continue;
      }
      const char e = raw[++k];
      switch (e) {
        case 'n': decoded += '\n'; break;
        case 't': decoded += '\t'; break;
        case 'r': decoded += '\r'; break;
        case 'b': decoded += '\b'; break;
        case 'f': decoded += '\f'; break;
        case 'u': {
          unsigned code = Hex4(raw, k + 1);
          k += 4;
          if (code >= 0xd800 && code < 0xdc00 && k + 6 < raw.size() + 1 && raw.substr(k + 1, 2) == "\\u") {
            const unsigned low = Hex4(raw, k + 3);
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            k += 6;
          }
          AppendUtf8(decoded, code);
          break;
        }
        default: decoded += e;  // \" \\ \/
      }
    }
    unescaped_.push_back(std::move(decoded));
    out = unescaped_.back();
    return true;
  };
  auto push = [&](JsonValue value) {
    value.key_ = pending_key;
    pending_key = {};
    scratch.push_back(value);
  };
  auto expect_key = [&]() -> bool {
    // In an object, before a value: "key" :
    skip_space();
    if (i >= s.size() || s[i] != '"') return false;
    if (!read_string(pending_key)) return false;
    skip_space();
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    return true;
  };
  auto in_object = [&] { return !open.empty() && scratch[open.back().container].type_ == JsonValue::Type::kObject; };

  while (true) {
    skip_space();
    if (i >= s.size()) return false;
    const char c = s[i];
    if (c == '{' || c == '[') {
      JsonValue container;
      container.type_ = c == '{' ? JsonValue::Type::kObject : JsonValue::Type::kArray;
      push(container);
      open.push_back({scratch.size() - 1, scratch.size()});
      ++i;
      skip_space();
      if (i < s.size() && s[i] == (c == '{' ? '}' : ']')) {
        // empty container: closed below
      } else if (c == '{') {
        if (!expect_key()) return false;
        continue;
      } else {
        continue;
      }
    } else if (c == '"') {
      JsonValue value;
      value.type_ = JsonValue::Type::kString;
      if (!read_string(value.text_)) return false;
      push(value);
    } else if (c == 't' && s.substr(i, 4) == "true") {
      JsonValue value;
      value.type_ = JsonValue::Type::kTrue;
      push(value);
      i += 4;
    } else if (c == 'f' && s.substr(i, 5) == "false") {
      JsonValue value;
      value.type_ = JsonValue::Type::kFalse;
      push(value);
      i += 5;
    } else if (c == 'n' && s.substr(i, 4) == "null") {
      push(JsonValue());
      i += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t end = i + 1;
      bool integral = true;
      while (end < s.size() && (std::strchr("0123456789.eE+-", s[end]) != nullptr)) {
        if (s[end] == '.' || s[end] == 'e' || s[end] == 'E') integral = false;
        ++end;
      }
      JsonValue value;
      value.type_ = integral ? JsonValue::Type::kNumber : JsonValue::Type::kNull;
      if (integral) std::from_chars(s.data() + i, s.data() + end, value.number_);
      push(value);
      i = end;
    } else {
      return false;
    }
    // After a value: close containers and/or move to the next member.
    while (true) {
      skip_space();
      if (open.empty()) {
        if (scratch.size() != 1 || i != s.size()) return false;
        JsonValue* root = Allocate(1);
        *root = scratch.front();
        root_ = root;
        return true;
      }
      if (i >= s.size()) return false;
      if (s[i] == ',') {
        ++i;
        if (in_object() && !expect_key()) return false;
        break;
      }
      const char close = in_object() ? '}' : ']';
      if (s[i] != close) return false;
      ++i;
      const Open top = open.back();
      open.pop_back();
      JsonValue& container = scratch[top.container];
      container.count_ = static_cast<std::uint32_t>(scratch.size() - top.first_child);
      JsonValue* children = container.count_ > 0 ? Allocate(container.count_) : nullptr;
      std::copy(scratch.begin() + static_cast<long>(top.first_child), scratch.end(), children);
      container.children_ = children;
      scratch.resize(top.first_child);
    }
  }
}

namespace {

class ParseResultHolder {
 public:
  explicit ParseResultHolder(const std::string& sql) : result_(pg_query_parse(sql.c_str())) {}
  ~ParseResultHolder() { pg_query_free_parse_result(result_); }
  ParseResultHolder(const ParseResultHolder&) = delete;
  ParseResultHolder& operator=(const ParseResultHolder&) = delete;
  const PgQueryParseResult& get() const { return result_; }

 private:
  PgQueryParseResult result_;
};

}  // namespace

QueryParse ParseQuery(const std::string& sql) {
  QueryParse parse;
  ParseResultHolder holder(sql);
  const PgQueryParseResult& result = holder.get();
  if (result.error != nullptr) {
    parse.error_message = result.error->message != nullptr ? result.error->message : "syntax error";
    parse.cursor_position = result.error->cursorpos;
    return parse;
  }
  if (result.parse_tree == nullptr) {
    parse.error_message = "the parser returned no tree";
    return parse;
  }
  parse.tree = std::make_unique<JsonDocument>();
  if (!parse.tree->Parse(result.parse_tree)) {
    parse.error_message = "the parser returned a tree that is not JSON";
    parse.tree.reset();
    return parse;
  }
  parse.ok = true;
  return parse;
}

}  // namespace dbaudit::sql
