#pragma once

// A small SQL tokenizer, enough to find where expressions begin and end in the original
// text (libpg_query's nodes carry start offsets only). It understands quotes, quoted
// identifiers, dollar quotes, comments and psql meta-command lines; an unterminated quote
// runs to the end of the input instead of failing. Internal to analyzer/sql.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dbaudit::sql {

enum class TokenKind {
  kWord,
  kQuotedIdent,
  kString,
  kNumber,
  kParam,
  kOpenParen,
  kCloseParen,
  kComma,
  kSemicolon,
  kOperator
};

struct Token {
  TokenKind kind;
  std::size_t begin;  // byte offsets into the text
  std::size_t end;
  int depth;  // parenthesis depth before this token
};

struct LexResult {
  std::vector<Token> tokens;
  // Byte ranges of psql meta-command lines (`\connect`, `\restrict KEY`, ...).
  std::vector<std::pair<std::size_t, std::size_t>> meta_commands;
};

LexResult Lex(std::string_view text);

// Upper-cased text of a word token ("" for other kinds).
std::string UpperWord(std::string_view text, const Token& token);
bool IsWord(std::string_view text, const Token& token, std::string_view upper_keyword);

// Index of the first token that begins at or after `offset`, or tokens.size().
std::size_t FirstTokenAt(const std::vector<Token>& tokens, std::size_t offset);
// For an kOpenParen at `open`, the index of its matching kCloseParen (or the last token).
std::size_t MatchingParen(const std::vector<Token>& tokens, std::size_t open);

// Trims ASCII white space at both ends.
std::string Trim(std::string_view text);

// Converts byte offsets to 1-based line and column (column counted in UTF-8 characters).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  void Position(std::size_t offset, std::uint32_t& line, std::uint32_t& column) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace dbaudit::sql
