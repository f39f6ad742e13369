// Driver placeholders -> PostgreSQL parameters, keeping byte offsets wherever possible.

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "analyzer/sql/query_analysis.hpp"

namespace dbaudit::sql {

namespace {

bool IsIdentStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}
// Python's \w for ASCII text, which SQLAlchemy's bind-parameter pattern uses.
bool IsWordChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c >= 0x80;
}

// What came last outside quotes and comments: decides whether a `?` starts an expression
// (a parameter) or is the jsonb operator, and whether a placeholder is a list the driver
// expands (`IN %s`).
enum class Previous { kNone, kWord, kValue, kOperator, kOpenParen, kComma };

class Normalizer {
 public:
  Normalizer(std::string_view sql, ir::ParamStyle style) : sql_(sql), style_(style) {}

  NormalizedSql Run() {
    result_.text.reserve(sql_.size() + 16);
    std::size_t i = 0;
    while (i < sql_.size()) i = Step(i);
    result_.parameter_count = std::max(next_number_ - 1, max_dollar_);
    return std::move(result_);
  }

 private:
  bool Named() const { return style_ == ir::ParamStyle::kNamed || style_ == ir::ParamStyle::kUnknown; }
  bool Pyformat() const { return style_ == ir::ParamStyle::kPyformat || style_ == ir::ParamStyle::kUnknown; }
  bool Qmark() const { return style_ == ir::ParamStyle::kQmark || style_ == ir::ParamStyle::kUnknown; }

  void Copy(std::size_t begin, std::size_t end) { result_.text.append(sql_.substr(begin, end - begin)); }

  // Emits `$N` for the placeholder sql_[begin, end): padded with spaces when shorter, wrapped
  // in parentheses when the driver expands it to a list, recorded as a resize when longer.
  void Emit(std::size_t begin, std::size_t end, int number) {
    std::string replacement = "$" + std::to_string(number);
    if (previous_ == Previous::kWord && (previous_word_ == "IN" || previous_word_ == "VALUES")) {
      replacement = "(" + replacement + ")";
    }
    const std::size_t length = end - begin;
    if (replacement.size() < length) replacement.append(length - replacement.size(), ' ');
    if (replacement.size() != length) {
      result_.resizes.push_back({static_cast<std::uint32_t>(result_.text.size()),
                                 static_cast<std::uint32_t>(replacement.size()), static_cast<std::uint32_t>(begin),
                                 static_cast<std::uint32_t>(length)});
    }
    result_.text += replacement;
    previous_ = Previous::kValue;
  }

  int NumberFor(const std::string& name) {
    auto [it, inserted] = named_.emplace(name, next_number_);
    if (inserted) ++next_number_;
    return it->second;
  }

  std::size_t SkipString(std::size_t quote, bool backslash) const {
    std::size_t i = quote + 1;
    while (i < sql_.size()) {
      const char c = sql_[i];
      if (backslash && c == '\\') {
        i += 2;
        continue;
      }
      if (c == sql_[quote]) {
        if (i + 1 < sql_.size() && sql_[i + 1] == sql_[quote]) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      ++i;
    }
    return sql_.size();
  }

  std::size_t SkipBlockComment(std::size_t i) const {
    int depth = 0;
    while (i < sql_.size()) {
      if (sql_[i] == '/' && i + 1 < sql_.size() && sql_[i + 1] == '*') {
        ++depth;
        i += 2;
      } else if (sql_[i] == '*' && i + 1 < sql_.size() && sql_[i + 1] == '/') {
        i += 2;
        if (--depth == 0) return i;
      } else {
        ++i;
      }
    }
    return sql_.size();
  }

  // Length of a dollar-quote opening tag at i ("$$", "$tag$"), 0 when none.
  std::size_t DollarTag(std::size_t i) const {
    if (i > 0 && IsIdentChar(static_cast<unsigned char>(sql_[i - 1]))) return 0;
    std::size_t j = i + 1;
    if (j < sql_.size() && sql_[j] == '$') return 2;
    if (j >= sql_.size() || !IsIdentStart(static_cast<unsigned char>(sql_[j]))) return 0;
    while (j < sql_.size() && IsIdentChar(static_cast<unsigned char>(sql_[j])) && sql_[j] != '$') ++j;
    return j < sql_.size() && sql_[j] == '$' ? j - i + 1 : 0;
  }

  // `?` is a parameter where an expression may start; elsewhere (after a column, a literal,
  // a closing parenthesis) it is the jsonb operator. Only guessed for kUnknown.
  bool QuestionIsParameter(std::size_t i) const {
    if (style_ == ir::ParamStyle::kQmark) return true;
    if (i + 1 < sql_.size() && (sql_[i + 1] == '|' || sql_[i + 1] == '&')) return false;
    switch (previous_) {
      case Previous::kNone:
      case Previous::kOperator:
      case Previous::kOpenParen:
      case Previous::kComma: return true;
      case Previous::kValue: return false;
      case Previous::kWord: {
        static const char* const kExpressionKeywords[] = {
            "SELECT", "WHERE",  "AND",    "OR",       "NOT",   "LIMIT",    "OFFSET", "THEN",    "ELSE",    "WHEN",
            "IN",     "VALUES", "SET",    "BY",       "LIKE",  "ILIKE",    "IS",     "BETWEEN", "ON",      "RETURNING",
            "ANY",    "ALL",    "SOME",   "CASE",     "FROM",  "DISTINCT", "HAVING", "USING",   "SIMILAR", "TO",
            "AS",     "ARRAY",  "EXISTS", "INTERVAL", "FETCH", "FIRST",    "NEXT",   "DEFAULT", "WITH",    "ESCAPE"};
        for (const char* keyword : kExpressionKeywords) {
          if (previous_word_ == keyword) return true;
        }
        return false;
      }
    }
    return false;
  }

  std::size_t Step(std::size_t i) {
    const unsigned char c = static_cast<unsigned char>(sql_[i]);
    const std::size_t n = sql_.size();
    auto next = [&](std::size_t k) -> char { return i + k < n ? sql_[i + k] : '\0'; };
    if (std::isspace(c)) {
      result_.text += static_cast<char>(c);
      return i + 1;
    }
    if (c == '-' && next(1) == '-') {
      std::size_t end = sql_.find('\n', i);
      end = end == std::string_view::npos ? n : end;
      Copy(i, end);
      return end;
    }
    if (c == '/' && next(1) == '*') {
      const std::size_t end = SkipBlockComment(i);
      Copy(i, end);
      return end;
    }
    if (c == '\'') {
      // E'...' strings take backslash escapes; standard strings do not.
      const bool escape = i > 0 && (sql_[i - 1] == 'e' || sql_[i - 1] == 'E') &&
                          (i == 1 || !IsIdentChar(static_cast<unsigned char>(sql_[i - 2])));
      const std::size_t end = SkipString(i, escape);
      Copy(i, end);
      previous_ = Previous::kValue;
      return end;
    }
    if (c == '"') {
      const std::size_t end = SkipString(i, false);
      Copy(i, end);
      previous_ = Previous::kValue;
      return end;
    }
    if (c == '$') {
      if (std::isdigit(static_cast<unsigned char>(next(1)))) {
        std::size_t end = i + 1;
        int number = 0;
        while (end < n && std::isdigit(static_cast<unsigned char>(sql_[end]))) {
          number = std::min(number * 10 + (sql_[end] - '0'), 1 << 20);
          ++end;
        }
        max_dollar_ = std::max(max_dollar_, number);
        Copy(i, end);
        previous_ = Previous::kValue;
        return end;
      }
      if (const std::size_t tag = DollarTag(i); tag > 0) {
        const std::string_view delimiter = sql_.substr(i, tag);
        const std::size_t close = sql_.find(delimiter, i + tag);
        const std::size_t end = close == std::string_view::npos ? n : close + tag;
        Copy(i, end);
        previous_ = Previous::kValue;
        return end;
      }
    }
    if (IsIdentStart(c)) {
      std::size_t end = i + 1;
      while (end < n && IsIdentChar(static_cast<unsigned char>(sql_[end]))) ++end;
      previous_word_.assign(sql_.substr(i, end - i));
      for (char& ch : previous_word_) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      previous_ = Previous::kWord;
      Copy(i, end);
      return end;
    }
    if (std::isdigit(c) || (c == '.' && std::isdigit(static_cast<unsigned char>(next(1))))) {
      std::size_t end = i + 1;
      while (end < n && (IsIdentChar(static_cast<unsigned char>(sql_[end])) || sql_[end] == '.')) ++end;
      Copy(i, end);
      previous_ = Previous::kValue;
      return end;
    }
    if (c == ':') {
      if (next(1) == ':' || next(1) == '=') {
        Copy(i, i + 2);
        previous_ = Previous::kOperator;
        return i + 2;
      }
      // SQLAlchemy's bind pattern: (?<![:\w\\]):(\w+)(?!:)
      const bool preceded_ok =
          i == 0 || !(IsWordChar(static_cast<unsigned char>(sql_[i - 1])) || sql_[i - 1] == ':' || sql_[i - 1] == '\\');
      if (Named() && preceded_ok && IsWordChar(static_cast<unsigned char>(next(1)))) {
        std::size_t end = i + 1;
        while (end < n && IsWordChar(static_cast<unsigned char>(sql_[end]))) ++end;
        if (end < n && sql_[end] == ':' && style_ == ir::ParamStyle::kNamed) {
          // SQLAlchemy's `(?!:)` backtracks: `:since::date` binds `:sinc` and sends `e::date`,
          // `:x::int` binds nothing. Mirror it, so the server's view of the text is checked.
          --end;
        }
        if (end > i + 1) {
          Emit(i, end, NumberFor(std::string(sql_.substr(i + 1, end - i - 1))));
          return end;
        }
      }
    }
    if (c == '\\' && next(1) == ':' && style_ == ir::ParamStyle::kNamed) {
      // text("a\\:b") sends a literal colon: the backslash does not reach the server.
      result_.text += ' ';
      return i + 1;
    }
    if (c == '%' && Pyformat()) {
      if (next(1) == '%') {
        result_.text += "% ";
        previous_ = Previous::kOperator;
        return i + 2;
      }
      if (next(1) == 's') {
        Emit(i, i + 2, next_number_++);
        return i + 2;
      }
      if (next(1) == '(') {
        const std::size_t close = sql_.find(')', i + 2);
        if (close != std::string_view::npos && close + 1 < n && sql_[close + 1] == 's' &&
            sql_.substr(i + 2, close - i - 2).find_first_of("\n'\"") == std::string_view::npos) {
          Emit(i, close + 2, NumberFor(std::string(sql_.substr(i + 2, close - i - 2))));
          return close + 2;
        }
      }
    }
    if (c == '?' && Qmark() && QuestionIsParameter(i)) {
      Emit(i, i + 1, next_number_++);
      return i + 1;
    }
    result_.text += static_cast<char>(c);
    if (c == '(' || c == '[') {
      previous_ = Previous::kOpenParen;
    } else if (c == ',') {
      previous_ = Previous::kComma;
    } else if (c == ')' || c == ']') {
      previous_ = Previous::kValue;
    } else if (c == ';') {
      previous_ = Previous::kNone;
    } else {
      previous_ = Previous::kOperator;
    }
    return i + 1;
  }

  std::string_view sql_;
  ir::ParamStyle style_;
  NormalizedSql result_;
  Previous previous_ = Previous::kNone;
  std::string previous_word_;
  std::map<std::string, int> named_;
  int next_number_ = 1;
  int max_dollar_ = 0;
};

}  // namespace

std::uint32_t NormalizedSql::OriginalOffset(std::uint32_t text_offset) const {
  auto it = std::upper_bound(resizes.begin(), resizes.end(), text_offset,
                             [](std::uint32_t offset, const Resize& resize) { return offset < resize.text_offset; });
  if (it == resizes.begin()) return text_offset;
  const Resize& resize = *std::prev(it);
  if (text_offset < resize.text_offset + resize.text_length) return resize.sql_offset;
  return resize.sql_offset + resize.sql_length + (text_offset - resize.text_offset - resize.text_length);
}

NormalizedSql NormalizePlaceholders(std::string_view sql, ir::ParamStyle style) {
  return Normalizer(sql, style).Run();
}

}  // namespace dbaudit::sql
