#include "analyzer/sql/sql_lexer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace dbaudit::sql {

namespace {

bool IsIdentStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

// Offset just past a '...' string starting at `quote` (the opening quote); `backslash`
// escapes apply to E'' strings.
std::size_t SkipQuoted(std::string_view text, std::size_t quote, char delimiter, bool backslash) {
  std::size_t i = quote + 1;
  while (i < text.size()) {
    const char c = text[i];
    if (backslash && c == '\\') {
      i += 2;
      continue;
    }
    if (c == delimiter) {
      if (i + 1 < text.size() && text[i + 1] == delimiter) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return text.size();
}

// Length of a dollar-quote tag ("$tag$" or "$$") at `i`, or 0 when `i` is no tag.
std::size_t DollarTagLength(std::string_view text, std::size_t i) {
  std::size_t j = i + 1;
  if (j < text.size() && text[j] == '$') return 2;
  if (j >= text.size() || !IsIdentStart(static_cast<unsigned char>(text[j]))) return 0;
  while (j < text.size() && (IsIdentChar(static_cast<unsigned char>(text[j])) && text[j] != '$')) ++j;
  if (j < text.size() && text[j] == '$') return j - i + 1;
  return 0;
}

bool AtLineStart(std::string_view text, std::size_t i) {
  while (i > 0) {
    const char c = text[i - 1];
    if (c == '\n') return true;
    if (c != ' ' && c != '\t' && c != '\r') return false;
    --i;
  }
  return true;
}

}  // namespace

LexResult Lex(std::string_view text) {
  LexResult result;
  int depth = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto push = [&](TokenKind kind, std::size_t begin, std::size_t end) {
    if (kind == TokenKind::kCloseParen) depth = std::max(0, depth - 1);
    result.tokens.push_back({kind, begin, end, depth});
    if (kind == TokenKind::kOpenParen) ++depth;
    if (kind == TokenKind::kSemicolon) depth = 0;
  };
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      int nesting = 1;
      i += 2;
      while (i < n && nesting > 0) {
        if (text[i] == '/' && i + 1 < n && text[i + 1] == '*') {
          ++nesting;
          i += 2;
        } else if (text[i] == '*' && i + 1 < n && text[i + 1] == '/') {
          --nesting;
          i += 2;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == '\\' && AtLineStart(text, i)) {
      const std::size_t begin = i;
      while (i < n && text[i] != '\n') ++i;
      result.meta_commands.emplace_back(begin, i);
      continue;
    }
    if (c == '\'') {
      const std::size_t end = SkipQuoted(text, i, '\'', false);
      push(TokenKind::kString, i, end);
      i = end;
      continue;
    }
    if (c == '"') {
      const std::size_t end = SkipQuoted(text, i, '"', false);
      push(TokenKind::kQuotedIdent, i, end);
      i = end;
      continue;
    }
    if (c == '$') {
      const std::size_t tag_length = DollarTagLength(text, i);
      if (tag_length > 0) {
        const std::string_view tag = text.substr(i, tag_length);
        const std::size_t close = text.find(tag, i + tag_length);
        const std::size_t end = close == std::string_view::npos ? n : close + tag_length;
        push(TokenKind::kString, i, end);
        i = end;
        continue;
      }
      std::size_t j = i + 1;
      while (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      push(TokenKind::kParam, i, j);
      i = j;
      continue;
    }
    if (IsIdentStart(c)) {
      // E'..', B'..', X'..', N'..' and U&'..' string prefixes.
      const char upper = static_cast<char>(std::toupper(c));
      if (i + 1 < n && text[i + 1] == '\'' && (upper == 'E' || upper == 'B' || upper == 'X' || upper == 'N')) {
        const std::size_t end = SkipQuoted(text, i + 1, '\'', upper == 'E');
        push(TokenKind::kString, i, end);
        i = end;
        continue;
      }
      if (upper == 'U' && i + 2 < n && text[i + 1] == '&' && (text[i + 2] == '\'' || text[i + 2] == '"')) {
        const std::size_t end = SkipQuoted(text, i + 2, text[i + 2], false);
        push(text[i + 2] == '"' ? TokenKind::kQuotedIdent : TokenKind::kString, i, end);
        i = end;
        continue;
      }
      std::size_t j = i + 1;
      while (j < n && IsIdentChar(static_cast<unsigned char>(text[j]))) ++j;
      push(TokenKind::kWord, i, j);
      i = j;
      continue;
    }
    if (std::isdigit(c) || (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      std::size_t j = i + 1;
      while (j < n) {
        const unsigned char d = static_cast<unsigned char>(text[j]);
        if (std::isalnum(d) || d == '.' || d == '_') {
          ++j;
        } else if ((d == '+' || d == '-') && (text[j - 1] == 'e' || text[j - 1] == 'E')) {
          ++j;
        } else {
          break;
        }
      }
      push(TokenKind::kNumber, i, j);
      i = j;
      continue;
    }
    switch (c) {
      case '(': push(TokenKind::kOpenParen, i, i + 1); break;
      case ')': push(TokenKind::kCloseParen, i, i + 1); break;
      case ',': push(TokenKind::kComma, i, i + 1); break;
      case ';': push(TokenKind::kSemicolon, i, i + 1); break;
      default: push(TokenKind::kOperator, i, i + 1); break;
    }
    ++i;
  }
  return result;
}

std::string UpperWord(std::string_view text, const Token& token) {
  if (token.kind != TokenKind::kWord) return {};
  std::string word(text.substr(token.begin, token.end - token.begin));
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}

bool IsWord(std::string_view text, const Token& token, std::string_view upper_keyword) {
  if (token.kind != TokenKind::kWord || token.end - token.begin != upper_keyword.size()) return false;
  for (std::size_t k = 0; k < upper_keyword.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(text[token.begin + k])) != upper_keyword[k]) return false;
  }
  return true;
}

std::size_t FirstTokenAt(const std::vector<Token>& tokens, std::size_t offset) {
  const auto it = std::lower_bound(tokens.begin(), tokens.end(), offset,
                                   [](const Token& token, std::size_t value) { return token.begin < value; });
  return static_cast<std::size_t>(it - tokens.begin());
}

std::size_t MatchingParen(const std::vector<Token>& tokens, std::size_t open) {
  const int depth = tokens[open].depth;
  for (std::size_t k = open + 1; k < tokens.size(); ++k) {
    if (tokens[k].kind == TokenKind::kCloseParen && tokens[k].depth == depth) return k;
    if (tokens[k].kind == TokenKind::kSemicolon) return k;
  }
  return tokens.empty() ? 0 : tokens.size() - 1;
}

std::string Trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

void LineIndex::Position(std::size_t offset, std::uint32_t& line, std::uint32_t& column) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  std::uint32_t characters = 0;
  for (std::size_t i = line_starts_[line_index]; i < offset; ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++characters;
  }
  line = static_cast<std::uint32_t>(line_index + 1);
  column = characters + 1;
}

}  // namespace dbaudit::sql
